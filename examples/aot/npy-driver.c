/* Runs a model compiled by slim-compile on .npy files: the inputs in
 * argument order, then the paths to write the outputs to.
 *
 *   slim-compile model.mlir -o model.o
 *   cc -DMODEL=model -DMODEL_HEADER='"model.h"' -I<slim>/include \
 *      npy-driver.c model.o <build>/lib/libSlimRuntime.a \
 *      -fopenmp=libomp -lstdc++ -lm -o run-model      (cc: clang)
 *   ./run-model in0.npy in1.npy out0.npy
 *
 * Each input must have the dtype and shape the header declares (numpy
 * format 1.0 to 3.0, little-endian, C order). Exit status 0 on success, 1
 * with a message on stderr otherwise (2 when the CPU lacks a feature). */

#include MODEL_HEADER

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CAT2(a, b) a##b
#define CAT(a, b) CAT2(a, b)
#define API(suffix) CAT(MODEL, suffix)
#define NUM_INPUTS ((size_t)API(_num_inputs))
#define NUM_OUTPUTS ((size_t)API(_num_outputs))

static const char *descr(const char *dtype) {
  static const char *names[][2] = {
      {"float16", "<f2"}, {"float32", "<f4"}, {"float64", "<f8"},
      {"int8", "|i1"},    {"uint8", "|u1"},   {"int16", "<i2"},
      {"uint16", "<u2"},  {"int32", "<i4"},   {"int64", "<i8"}};
  for (size_t i = 0; i < sizeof names / sizeof names[0]; ++i)
    if (!strcmp(names[i][0], dtype))
      return names[i][1];
  return "?";
}

/* The header's shape of a buffer, as numpy prints it: "(3, 5)", "(7,)". */
static void shapeText(char *out, size_t size, int rank, const int64_t *shape) {
  size_t n = (size_t)snprintf(out, size, "(");
  for (int d = 0; d < rank && n < size; ++d)
    n += (size_t)snprintf(out + n, size - n, "%s%lld", d ? ", " : "",
                          (long long)shape[d]);
  if (n < size)
    snprintf(out + n, size - n, rank == 1 ? ",)" : ")");
}

static int readNpy(const char *path, int i, void *data) {
  FILE *f = fopen(path, "rb");
  unsigned char head[10];
  if (!f || fread(head, 1, 10, f) != 10 || memcmp(head, "\x93NUMPY", 6)) {
    fprintf(stderr, "error: %s is not a .npy file\n", path);
    if (f)
      fclose(f);
    return 1;
  }
  size_t len = head[8] | (size_t)head[9] << 8;
  if (head[6] >= 2) { /* 4-byte header length */
    unsigned char more[2];
    if (fread(more, 1, 2, f) != 2) {
      fclose(f);
      return 1;
    }
    len |= (size_t)more[0] << 16 | (size_t)more[1] << 24;
  }
  char *text = malloc(len + 1);
  if (!text || fread(text, 1, len, f) != len) {
    fprintf(stderr, "error: %s: truncated header\n", path);
    free(text);
    fclose(f);
    return 1;
  }
  text[len] = 0;
  char want[256], shape[200];
  shapeText(shape, sizeof shape, API(_input_ranks)[i], API(_input_shapes)[i]);
  snprintf(want, sizeof want, "'descr': '%s'", descr(API(_input_dtypes)[i]));
  int ok = strstr(text, want) && strstr(text, "'fortran_order': False");
  char *s = strstr(text, "'shape': ");
  ok = ok && s && !strncmp(s + 9, shape, strlen(shape));
  if (!ok) {
    fprintf(stderr, "error: %s: expected %s %s, got %s\n", path,
            API(_input_dtypes)[i], shape, text);
    free(text);
    fclose(f);
    return 1;
  }
  free(text);
  size_t got = fread(data, 1, API(_input_bytes)[i], f);
  fclose(f);
  if (got != API(_input_bytes)[i]) {
    fprintf(stderr, "error: %s: %zu of %zu bytes\n", path, got,
            API(_input_bytes)[i]);
    return 1;
  }
  return 0;
}

static int writeNpy(const char *path, int i, const void *data) {
  char shape[200], header[256];
  shapeText(shape, sizeof shape, API(_output_ranks)[i], API(_output_shapes)[i]);
  int n = snprintf(header, sizeof header,
                   "{'descr': '%s', 'fortran_order': False, 'shape': %s, }",
                   descr(API(_output_dtypes)[i]), shape);
  int total = 10 + n + 1, pad = (64 - total % 64) % 64;
  FILE *f = fopen(path, "wb");
  if (!f) {
    fprintf(stderr, "error: cannot write %s\n", path);
    return 1;
  }
  unsigned short len = (unsigned short)(n + pad + 1);
  fwrite("\x93NUMPY\x01\x00", 1, 8, f);
  fputc(len & 0xff, f);
  fputc(len >> 8, f);
  fwrite(header, 1, (size_t)n, f);
  for (int k = 0; k < pad; ++k)
    fputc(' ', f);
  fputc('\n', f);
  size_t put = fwrite(data, 1, API(_output_bytes)[i], f);
  return fclose(f) != 0 || put != API(_output_bytes)[i];
}

int main(int argc, char **argv) {
  if ((size_t)argc != 1 + NUM_INPUTS + NUM_OUTPUTS) {
    fprintf(stderr, "usage: %s %zu input .npy file(s), %zu output path(s)\n",
            argv[0], NUM_INPUTS, NUM_OUTPUTS);
    return 1;
  }
  char error[256];
  API(_model) *model = API(_load)(error, sizeof error);
  if (!model) {
    fprintf(stderr, "error: %s\n", error);
    return 2;
  }
  const void *inputs[NUM_INPUTS + 1];
  void *outputs[NUM_OUTPUTS + 1];
  for (size_t i = 0; i < NUM_INPUTS; ++i) {
    /* At least 64 bytes: aligned_alloc may refuse a size of 0. */
    void *buffer = aligned_alloc(64, (API(_input_bytes)[i] + 64) / 64 * 64);
    if (!buffer || readNpy(argv[1 + i], (int)i, buffer))
      return 1;
    inputs[i] = buffer;
  }
  for (size_t i = 0; i < NUM_OUTPUTS; ++i)
    if (!(outputs[i] =
              aligned_alloc(64, (API(_output_bytes)[i] + 64) / 64 * 64))) {
      fprintf(stderr, "error: out of memory\n");
      return 1;
    }
  if (API(_run)(model, inputs, outputs))
    return 1;
  int rc = 0;
  for (size_t i = 0; i < NUM_OUTPUTS; ++i)
    rc |= writeNpy(argv[1 + NUM_INPUTS + i], (int)i, outputs[i]);
  for (size_t i = 0; i < NUM_INPUTS; ++i)
    free((void *)inputs[i]);
  for (size_t i = 0; i < NUM_OUTPUTS; ++i)
    free(outputs[i]);
  API(_free)(model);
  return rc;
}
