// slim-fuse-quantized on a fake-quant convolution written as the ONNX
// importer writes it (tensor.pad of the dequantized input with 0.0, the bias
// broadcast into the init, conv_2d_nchw_fchw, ReLU as cmpf + select), then
// compiled and run: bit-exact against the integer layer recomputed by
// test/Integration/ref.py, and within one output step of the float layer.
// Odd sizes (1x2x5x7 input, 3x2x3x3 filter), stride 2x1, padding 1.
//
// RUN: slim-opt %s --slim-fuse-quantized -o %t.fused.mlir
// RUN: FileCheck %s --check-prefix=CHECK-IR < %t.fused.mlir
// CHECK-IR-LABEL: func.func @conv
// CHECK-IR: slim.qconv2d %{{.*}}, %{{.*}}, %{{.*}} strides [2, 1] dilations [1, 1] padding [1, 1, 1, 1]
// CHECK-IR: slim.requantize
// CHECK-IR-NOT: linalg.conv_2d_nchw_fchw
// CHECK-IR-NOT: tensor.pad
// RUN: %ref gen %t.x.npy --shape 1,2,5,7 --random 70 --range=-2,3 --seed 81
// RUN: %ref gen %t.w.npy --dtype int8 --shape 3,2,3,3 --values=-9,29,-32,-59,-92,-80,94,46,-126,-41,1,-9,102,27,-107,-42,14,112,30,52,-117,59,-30,-84,53,115,-12,116,58,-19,-87,-84,-67,-114,-99,-94,2,96,109,126,24,-111,71,49,-29,75,64,100,-101,108,-53,-75,45,-70
// RUN: %ref gen %t.b.npy --shape 3 --values=0.25,-0.5,0.1
// RUN: slim-run %t.fused.mlir -e conv --input %t.x.npy --output %t.fused.npy
// RUN: %ref fused-conv --x %t.x.npy --w %t.w.npy --w-scales 0.01,0.02,0.015 --bias %t.b.npy --sx 0.02 --zx 100 --sy 0.05 --zy 0 --relu --strides 2,1 --padding 1,1,1,1 --output %t.fused.npy --label conv | FileCheck %s --check-prefix=CHECK-CONV
// CHECK-CONV: conv: 63 values, 0 mismatches
// RUN: slim-run %s -e conv --input %t.x.npy --output %t.float.npy
// RUN: %ref close %t.fused.npy %t.float.npy --atol 0.0501 --label fakequant | FileCheck %s --check-prefix=CHECK-CLOSE
// CHECK-CLOSE: fakequant: 63 values, 0 mismatches

#id = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
func.func @conv(%x: tensor<1x2x5x7xf32>) -> tensor<1x3x3x7xf32> {
  %xq = slim.quantize %x : tensor<1x2x5x7xf32> to tensor<1x2x5x7x!quant.uniform<u8:f32, 0.02:100>>
  %xd = slim.dequantize %xq : tensor<1x2x5x7x!quant.uniform<u8:f32, 0.02:100>> to tensor<1x2x5x7xf32>
  %zero = arith.constant 0.0 : f32
  %padded = tensor.pad %xd low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%i: index, %j: index, %k: index, %l: index):
    tensor.yield %zero : f32
  } : tensor<1x2x5x7xf32> to tensor<1x2x7x9xf32>
  %w = arith.constant dense<[[[[-9, 29, -32], [-59, -92, -80], [94, 46, -126]], [[-41, 1, -9], [102, 27, -107], [-42, 14, 112]]], [[[30, 52, -117], [59, -30, -84], [53, 115, -12]], [[116, 58, -19], [-87, -84, -67], [-114, -99, -94]]], [[[2, 96, 109], [126, 24, -111], [71, 49, -29]], [[75, 64, 100], [-101, 108, -53], [-75, 45, -70]]]]> : tensor<3x2x3x3xi8>
  %wq = quant.scast %w : tensor<3x2x3x3xi8> to tensor<3x2x3x3x!quant.uniform<i8<-127:127>:f32:0, {0.01, 0.02, 0.015}>>
  %wd = slim.dequantize %wq : tensor<3x2x3x3x!quant.uniform<i8<-127:127>:f32:0, {0.01, 0.02, 0.015}>> to tensor<3x2x3x3xf32>
  %b = arith.constant dense<[0.25, -0.5, 0.1]> : tensor<3xf32>
  %e = tensor.empty() : tensor<1x3x3x7xf32>
  %init = linalg.broadcast ins(%b : tensor<3xf32>) outs(%e : tensor<1x3x3x7xf32>) dimensions = [0, 2, 3]
  %c = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<[2, 1]> : tensor<2xi64>} ins(%padded, %wd : tensor<1x2x7x9xf32>, tensor<3x2x3x3xf32>) outs(%init : tensor<1x3x3x7xf32>) -> tensor<1x3x3x7xf32>
  %r = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%c : tensor<1x3x3x7xf32>) outs(%e : tensor<1x3x3x7xf32>) {
  ^bb0(%v: f32, %o: f32):
    %p = arith.cmpf ugt, %v, %zero : f32
    %s = arith.select %p, %v, %zero : f32
    linalg.yield %s : f32
  } -> tensor<1x3x3x7xf32>
  %yq = slim.quantize %r : tensor<1x3x3x7xf32> to tensor<1x3x3x7x!quant.uniform<u8:f32, 0.05>>
  %yd = slim.dequantize %yq : tensor<1x3x3x7x!quant.uniform<u8:f32, 0.05>> to tensor<1x3x3x7xf32>
  return %yd : tensor<1x3x3x7xf32>
}
