/* Prints the sentence embedding of all-MiniLM-L6-v2, compiled ahead of
 * time by slim-compile, for a sentence given as its token ids (the
 * tokenizer's output, [CLS] ... [SEP]; prepare.py writes them).
 *
 *   slim-import minilm.onnx -o minilm.mlirbc
 *   slim-compile minilm.mlirbc -o minilm.o
 *   cc -I. -I<slim>/include embed.c minilm.o <build>/lib/libSlimRuntime.a \
 *      -fopenmp=libomp -lstdc++ -lm -o minilm-embed      (cc: clang)
 *   ./minilm-embed 101 7592 2088 102
 *
 * The model takes input_ids and attention_mask, int64 [1, 128]: the ids
 * are padded with 0 and masked. Prints the 384 floats of the normalized
 * embedding on one line. */

#include "minilm.h"

#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
  enum { SEQ = MINILM_INPUT0_ELEMENTS };
  if (MINILM_NUM_INPUTS != 2 || MINILM_INPUT1_ELEMENTS != SEQ ||
      MINILM_NUM_OUTPUTS != 1) {
    fprintf(stderr, "error: minilm.h is not MiniLM's signature\n");
    return 1;
  }
  if (argc < 2 || argc - 1 > SEQ) {
    fprintf(stderr, "usage: %s TOKEN_ID... (1 to %d ids)\n", argv[0], SEQ);
    return 1;
  }
  static int64_t ids[SEQ], mask[SEQ];
  static float embedding[MINILM_OUTPUT0_ELEMENTS];
  for (int i = 1; i < argc; ++i) {
    char *end;
    long long id = strtoll(argv[i], &end, 10);
    if (*end || id < 0) {
      fprintf(stderr, "error: '%s' is not a token id\n", argv[i]);
      return 1;
    }
    ids[i - 1] = id;
    mask[i - 1] = 1;
  }
  char error[256];
  minilm_model *model = minilm_load(error, sizeof error);
  if (!model) {
    fprintf(stderr, "error: %s\n", error);
    return 2;
  }
  const void *inputs[] = {ids, mask};
  void *outputs[] = {embedding};
  if (minilm_run(model, inputs, outputs))
    return 1;
  for (int i = 0; i < MINILM_OUTPUT0_ELEMENTS; ++i)
    printf("%s%.9g", i ? " " : "", embedding[i]);
  printf("\n");
  minilm_free(model);
  return 0;
}
