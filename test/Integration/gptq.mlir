// GPTQ end to end: a 24x16 activation whose channels are correlated (mixes
// of three shared factors plus noise) times a 16x5 weight, int4 in groups
// of 8. slim-run --calibrate --hessians writes the Gram matrix of the
// observed input, checked against the exact sum of x x^T; the GPTQ weights
// then give a lower output error on those inputs than rounding to nearest,
// with and without zero points.
//
// RUN: %ref gen %t.x.npy --shape 24,16 --values=-1.055,0.756,1.533,0.595,0.127,0.498,2.913,-0.485,-2.54,-0.697,3.634,0.399,0.667,0.885,5.935,0.615,-1.858,2.87,-0.915,-2.089,2.834,-1.649,-3.821,-2.459,2.455,1.769,-2.151,-2.242,1.325,1.111,2.614,-2.816,0.229,0.049,0.799,1.501,-0.363,0.886,1.99,0.715,-1.028,-0.599,1.126,0.986,-0.768,0.315,1.485,0.583,-0.338,0.068,-0.729,-2.139,-0.107,-0.952,-1.829,-1.367,1.419,1.11,-0.76,-1.297,0.486,0.052,-2.04,-0.505,-0.704,1.222,0.59,1.68,1.761,0.707,0.004,0.804,-0.335,0.353,-0.951,-0.008,-0.666,0.498,3.584,-0.92,-1.992,1.592,0.309,-1.049,1.568,-0.775,-0.918,-2.047,0.528,1.116,0.391,-1.249,1.312,1.04,3.936,-1.107,1.323,0.081,1.997,5.317,-0.064,2.883,3.391,4.774,-2.731,-2.028,0.671,2.09,-2.727,-0.266,3.727,1.249,-3.665,1.639,-0.294,-3.969,0.939,-2.07,0.291,-4.931,-0.031,1.34,3.972,-2.244,3.613,1.396,4.624,-1.026,2.573,-2.112,0.417,2.16,-2.236,1.586,2.383,2.874,-1.51,-1.496,0.416,2.2,-1.606,-1.362,-3.92,2.151,3.503,-3.148,0.006,1.67,-2.942,1.305,1.038,3.182,-0.456,-1.36,-1.189,2.024,-1.666,-1.636,-7.584,2.062,-1.417,0.188,-0.821,-3.595,0.042,-1.739,-1.135,-2.964,1.046,1.064,0.915,-1.673,1.682,0.539,-0.04,-0.869,1.55,-1.028,0.044,1.77,-0.345,0.961,0.723,2.091,-0.581,-1.065,-1.235,0.873,-1.203,-0.539,-2.004,0.834,2.828,-1.713,-1.266,1.419,-0.518,0.775,-2.61,2.771,2.423,0.156,-5.641,1.186,-2.09,-0.821,-7.127,-0.151,0.269,-1.276,-1.126,-2.975,-1.07,-1.092,-1.547,-1.893,1.822,0.823,-0.074,-0.58,0.788,-0.586,-5.303,-0.132,0.376,-1.067,1.606,2.46,-0.822,1.426,3.697,1.84,-3.095,-1.592,2.993,1.396,-0.91,-0.093,3.125,2.001,0.434,0.53,0.155,2.741,1.347,1.188,-0.424,2.627,0.503,-0.36,-2.581,0.32,-1.684,-0.06,0.471,-0.525,-1.093,0.092,0.699,0.495,-0.14,0.25,2.401,-0.482,-1.922,-0.539,3.531,0.424,0.74,0.319,4.144,0.677,-0.437,1.786,0.131,1.127,2.003,0.098,-1.339,0.683,0.624,0.189,-1.641,-0.834,-0.758,0.243,3.147,-1.601,-0.012,0.394,0.203,1.397,0.506,0.453,1.003,1.082,-0.762,-0.192,-0.139,0.546,-0.932,0.407,2.151,-0.251,1.071,0.019,1.094,4.168,0.287,1.627,2.633,3.348,-2.212,-1.456,-0.04,1.797,-2.521,-0.179,3.566,0.781,1.135,-1.812,0.462,0.713,-1.644,0.49,1.793,1.087,-1.581,-0.608,1.187,0.925,-0.584,-0.645,-1.861,1.293,-3.301,2.886,-1.242,-3.15,3.336,-1.866,-3.003,-3.807,2.229,1.873,-0.368,-3.017,2.298,1.659,4.228,-3.191,1.485,-2.161,-1.366,-1.382,-1.937,-0.452,-0.342,-0.201,1.019,0.433,-1.166,0.401,0.306,-0.758,-6.819,0.945,0.651,-0.133,-1.935,-2.182,0.489,-0.961,-4.473,-0.58,3.443,1.238,-4.717,-1.07,-0.35,-0.484,-6.077,-1.468
// RUN: slim-run %s --input %t.x.npy --output %t.float.npy
// RUN: slim-opt %s --slim-insert-observers -o %t.observed.mlir
// RUN: rm -rf %t.hessians
// RUN: slim-run %t.observed.mlir --calibrate %t.x.npy --batch 24 --stats-file %t.stats.json --hessians %t.hessians
// RUN: FileCheck %s --check-prefix=CHECK-INDEX < %t.hessians/index.json
// CHECK-INDEX: "format": "slim-hessians"
// CHECK-INDEX: "file": "h0.npy"
// CHECK-INDEX: "id": "main/arg0"
// CHECK-INDEX: "rows": 24
// RUN: %ref gram --x %t.x.npy --h %t.hessians/h0.npy | FileCheck %s --check-prefix=CHECK-GRAM
// CHECK-GRAM: gram: 16 x 16 from 24 rows
// CHECK-GRAM: gram: 256 values, 0 mismatches
//
// RUN: slim-opt %t.observed.mlir "--slim-weight-only=bits=4 group-size=8 hessians=%t.hessians" -o %t.gptq.mlir 2>/dev/null
// RUN: slim-opt %t.observed.mlir "--slim-weight-only=bits=4 group-size=8" -o %t.rtn.mlir 2>/dev/null
// RUN: slim-opt %t.observed.mlir "--slim-weight-only=bits=4 group-size=8 scheme=asymmetric method=mse hessians=%t.hessians" -o %t.gptq-asym.mlir 2>/dev/null
// RUN: slim-opt %t.observed.mlir "--slim-weight-only=bits=4 group-size=8 scheme=asymmetric method=mse" -o %t.rtn-asym.mlir 2>/dev/null
// RUN: slim-run %t.gptq.mlir --input %t.x.npy --output %t.gptq.npy
// RUN: slim-run %t.rtn.mlir --input %t.x.npy --output %t.rtn.npy
// RUN: slim-run %t.gptq-asym.mlir --input %t.x.npy --output %t.gptq-asym.npy
// RUN: slim-run %t.rtn-asym.mlir --input %t.x.npy --output %t.rtn-asym.npy
// RUN: %ref lower-error --ref %t.float.npy --a %t.gptq.npy --b %t.rtn.npy --label symmetric | FileCheck %s --check-prefix=CHECK-SYM
// RUN: %ref lower-error --ref %t.float.npy --a %t.gptq-asym.npy --b %t.rtn-asym.npy --label asymmetric | FileCheck %s --check-prefix=CHECK-ASYM
// CHECK-SYM: symmetric: rms {{.*}} < rms
// CHECK-ASYM: asymmetric: rms {{.*}} < rms
// The report says which weights GPTQ made.
// RUN: slim-opt %t.observed.mlir "--slim-weight-only=bits=4 group-size=8 hessians=%t.hessians report=%t.report.json" -o /dev/null 2>/dev/null
// RUN: FileCheck %s --check-prefix=CHECK-REPORT < %t.report.json
// CHECK-REPORT: "gptq": true
//
// Refusals, with nothing written: a directory without an index, a Hessian
// of the wrong size, GPTQ per tensor; a matmul whose input has no Hessian
// is rounded to nearest with a warning.
// RUN: not slim-opt %t.observed.mlir "--slim-weight-only=bits=4 group-size=8 hessians=%t.nowhere" 2>&1 | FileCheck %s --check-prefix=CHECK-MISSING
// CHECK-MISSING: error: slim-quantize-weights: {{.*}}nowhere{{/|\\}}index.json: cannot read
// RUN: rm -rf %t.small && mkdir -p %t.small
// RUN: %ref gen %t.small/h0.npy --dtype float64 --shape 2,2 --values=1,0,0,1
// RUN: echo '{"format": "slim-hessians", "version": 1, "observers": [{"id": "main/arg0", "file": "h0.npy", "rows": 3}]}' > %t.small/index.json
// RUN: not slim-opt %t.observed.mlir "--slim-weight-only=bits=4 group-size=8 hessians=%t.small" 2>&1 | FileCheck %s --check-prefix=CHECK-SIZE
// CHECK-SIZE: error: 'linalg.matmul' op the Hessian of observer 'main/arg0' is 2 x 2 but the weight has 16 rows
// RUN: not slim-opt %t.observed.mlir "--slim-quantize-weights=bits=4 granularity=tensor hessians=%t.hessians" 2>&1 | FileCheck %s --check-prefix=CHECK-TENSOR
// CHECK-TENSOR: error: 'linalg.matmul' op GPTQ (hessians=) quantizes per channel or per group, not granularity=tensor
// RUN: echo '{"format": "slim-hessians", "version": 1, "observers": []}' > %t.small/index.json
// RUN: slim-opt %t.observed.mlir "--slim-weight-only=bits=4 group-size=8 hessians=%t.small" -o /dev/null 2>&1 | FileCheck %s --check-prefix=CHECK-NONE
// CHECK-NONE: warning: no Hessian for this layer's input
// RUN: not slim-run %s --input %t.x.npy --hessians %t.h2 2>&1 | FileCheck %s --check-prefix=CHECK-NOCALIB
// CHECK-NOCALIB: error: --hessians goes with --calibrate

func.func @main(%x: tensor<24x16xf32>) -> tensor<24x5xf32> {
  %w = arith.constant dense<[[0.69, 0.12, -0.199, -1.028, -0.728], [-1.48, 0.439, 0.55, -0.203, -0.235], [0.237, 0.286, -0.87, -0.129, -0.158], [-0.632, 0.707, 0.374, -0.304, -0.024], [-0.276, -0.254, -0.198, 0.511, 0.002], [-0.238, -0.342, 0.13, -0.438, -0.809], [-0.071, 0.794, -0.341, 0.079, -0.1], [0.613, 0.237, -0.636, 0.872, 0.003], [-0.459, -0.253, 0.03, 0.538, -0.142], [-0.372, 0.663, 0.785, -0.179, 0.068], [0.186, -0.153, -0.459, 0.522, -0.549], [-0.919, 0.291, 0.58, 0.408, -0.386], [-0.124, -0.547, -0.264, -1.231, -0.437], [0.691, -0.587, 0.865, 0.087, -0.984], [0.472, -0.479, 0.277, -0.089, -0.176], [-0.088, -0.66, -0.38, -0.201, 0.892]]> : tensor<16x5xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<24x5xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<24x5xf32>) -> tensor<24x5xf32>
  %y = linalg.matmul ins(%x, %w : tensor<24x16xf32>, tensor<16x5xf32>) outs(%f : tensor<24x5xf32>) -> tensor<24x5xf32>
  return %y : tensor<24x5xf32>
}
