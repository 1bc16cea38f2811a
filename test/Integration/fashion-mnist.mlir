// The two trained Fashion-MNIST models (examples/fashion-mnist/data, a
// subset made by make_models.py: the models, 100 calibration and 300 test
// images) through the static int8 flow, pass by pass: observers,
// calibration, slim-ptq-static, run. Every matmul and convolution must
// fuse into integer ops, and accuracy on the subset must stay within one
// point of fp32 (measured on the full test set: docs/results-fashion-mnist.md).
//
// RUN: slim-run %S/../../examples/fashion-mnist/data/mlp.mlir --input %S/../../examples/fashion-mnist/data/test-images.npy --output %t.mlp-fp32.npy
// RUN: slim-opt %S/../../examples/fashion-mnist/data/mlp.mlir --slim-insert-observers -o %t.mlp-obs.mlir
// RUN: slim-run %t.mlp-obs.mlir --calibrate %S/../../examples/fashion-mnist/data/calib.npy --stats-file %t.mlp-stats.json --batch 50
// RUN: slim-opt %t.mlp-obs.mlir "--slim-ptq-static=stats=%t.mlp-stats.json" -o %t.mlp-int8.mlir
// RUN: FileCheck %s --check-prefix=CHECK-MLP-IR < %t.mlp-int8.mlir
// CHECK-MLP-IR-COUNT-3: slim.qmatmul
// CHECK-MLP-IR-NOT: linalg.matmul
// RUN: slim-run %t.mlp-int8.mlir --input %S/../../examples/fashion-mnist/data/test-images.npy --output %t.mlp-int8.npy
// RUN: %ref accuracy --logits %t.mlp-fp32.npy --labels %S/../../examples/fashion-mnist/data/test-labels.npy --min 0.8 --label mlp-fp32 | FileCheck %s --check-prefix=CHECK-MLP-FP32
// CHECK-MLP-FP32: mlp-fp32: 300 values, 0 mismatches
// RUN: %ref accuracy --logits %t.mlp-int8.npy --baseline %t.mlp-fp32.npy --max-drop 0.01 --labels %S/../../examples/fashion-mnist/data/test-labels.npy --label mlp-int8 | FileCheck %s --check-prefix=CHECK-MLP-INT8
// CHECK-MLP-INT8: mlp-int8: 300 values, 0 mismatches
//
// RUN: slim-run %S/../../examples/fashion-mnist/data/cnn.mlir --input %S/../../examples/fashion-mnist/data/test-images-nchw.npy --output %t.cnn-fp32.npy
// RUN: slim-opt %S/../../examples/fashion-mnist/data/cnn.mlir --slim-insert-observers -o %t.cnn-obs.mlir
// RUN: slim-run %t.cnn-obs.mlir --calibrate %S/../../examples/fashion-mnist/data/calib-nchw.npy --stats-file %t.cnn-stats.json --batch 50
// RUN: slim-opt %t.cnn-obs.mlir "--slim-ptq-static=stats=%t.cnn-stats.json" -o %t.cnn-int8.mlir
// RUN: FileCheck %s --check-prefix=CHECK-CNN-IR < %t.cnn-int8.mlir
// CHECK-CNN-IR-COUNT-2: slim.qconv2d
// CHECK-CNN-IR: slim.qmatmul
// CHECK-CNN-IR-NOT: linalg.conv_2d_nchw_fchw
// RUN: slim-run %t.cnn-int8.mlir --input %S/../../examples/fashion-mnist/data/test-images-nchw.npy --output %t.cnn-int8.npy
// RUN: %ref accuracy --logits %t.cnn-fp32.npy --labels %S/../../examples/fashion-mnist/data/test-labels.npy --min 0.8 --label cnn-fp32 | FileCheck %s --check-prefix=CHECK-CNN-FP32
// CHECK-CNN-FP32: cnn-fp32: 300 values, 0 mismatches
// RUN: %ref accuracy --logits %t.cnn-int8.npy --baseline %t.cnn-fp32.npy --max-drop 0.01 --labels %S/../../examples/fashion-mnist/data/test-labels.npy --label cnn-int8 | FileCheck %s --check-prefix=CHECK-CNN-INT8
// CHECK-CNN-INT8: cnn-int8: 300 values, 0 mismatches
