// RUN: slim-opt %s -split-input-file --slim-normalize-imported | FileCheck %s

// Each function below is real importer output: a torch 1.13 ONNX export
// (opset 17) of a small module, through `slim-import --raw` (torch-mlir's ONNX
// importer and linalg backend pipeline), with its weights as exported.

// nn.Linear(6, 3) on a dynamic batch: the importer transposes the constant
// weight at run time. The transpose folds into the constant.
// CHECK-LABEL: func.func @linear_transposed_weight
// CHECK-SAME:    (%[[X:.*]]: tensor<?x6xf32>)
// CHECK-DAG:     %[[W:.*]] = arith.constant dense<{{\[\[}}-0.00305648171, -0.00808869674, -0.390019417], [0.219002187, 0.323695779, -0.27037555]{{.*}}> : tensor<6x3xf32>
// CHECK-NOT:     linalg.transpose
// CHECK:         linalg.matmul ins(%[[X]], %[[W]] : tensor<?x6xf32>, tensor<6x3xf32>)
#map = affine_map<(d0, d1) -> (d0, d1)>
#map1 = affine_map<(d0, d1) -> (d1)>
func.func @linear_transposed_weight(%arg0: tensor<?x6xf32>) -> tensor<?x3xf32> {
  %c0 = arith.constant 0 : index
  %cst = arith.constant 0.000000e+00 : f32
  %cst_0 = arith.constant dense<[[-0.00305648171, 0.219002187, -0.33600679, -0.300445855, -0.157238618, 0.109474786], [-0.00808869674, 0.323695779, -0.0362296067, 0.10802763, -0.123377971, -0.0802474841], [-0.390019417, -0.27037555, -0.168289378, 0.0151229752, 0.161394924, 0.244958282]]> : tensor<3x6xf32>
  %cst_1 = arith.constant dense<[-0.276768297, -0.177776963, 0.148282766]> : tensor<3xf32>
  %0 = tensor.empty() : tensor<6x3xf32>
  %transposed = linalg.transpose ins(%cst_0 : tensor<3x6xf32>) outs(%0 : tensor<6x3xf32>) permutation = [1, 0]
  %dim = tensor.dim %arg0, %c0 : tensor<?x6xf32>
  %1 = tensor.empty(%dim) : tensor<?x3xf32>
  %2 = linalg.fill ins(%cst : f32) outs(%1 : tensor<?x3xf32>) -> tensor<?x3xf32>
  %3 = linalg.matmul ins(%arg0, %transposed : tensor<?x6xf32>, tensor<6x3xf32>) outs(%2 : tensor<?x3xf32>) -> tensor<?x3xf32>
  %4 = linalg.generic {indexing_maps = [#map, #map1, #map], iterator_types = ["parallel", "parallel"]} ins(%3, %cst_1 : tensor<?x3xf32>, tensor<3xf32>) outs(%1 : tensor<?x3xf32>) {
  ^bb0(%in: f32, %in_2: f32, %out: f32):
    %5 = arith.addf %in, %in_2 : f32
    linalg.yield %5 : f32
  } -> tensor<?x3xf32>
  return %4 : tensor<?x3xf32>
}

// -----

// nn.Linear(4, 3) on a 1x5x4 sequence (every Linear of a transformer): the
// weight is broadcast to 1x4x3 by a generic and multiplied by a
// batch_matmul; the bias add follows. It becomes the 2-D Linear form: matmul
// on the collapsed activation, the bias add in 2-D, then expand_shape.
// CHECK-DAG:   #[[ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG:   #[[LAST:.*]] = affine_map<(d0, d1) -> (d1)>
// CHECK-LABEL: func.func @linear_in_sequence
// CHECK-SAME:    (%[[X:.*]]: tensor<1x5x4xf32>)
// CHECK-DAG:     %[[B:.*]] = arith.constant dense<[-0.325732887, -0.0256596804, 0.357925415]> : tensor<3xf32>
// CHECK-DAG:     %[[W:.*]] = arith.constant dense<{{\[\[}}0.196214139, -0.47962445, -0.174916685]{{.*}}> : tensor<4x3xf32>
// CHECK:         %[[X2:.*]] = tensor.collapse_shape %[[X]] {{\[\[}}0, 1], [2]] : tensor<1x5x4xf32> into tensor<5x4xf32>
// CHECK:         %[[Y:.*]] = linalg.matmul ins(%[[X2]], %[[W]] : tensor<5x4xf32>, tensor<4x3xf32>)
// CHECK:         %[[YB:.*]] = linalg.generic {indexing_maps = [#[[ID]], #[[LAST]], #[[ID]]]{{.*}} ins(%[[Y]], %[[B]] : tensor<5x3xf32>, tensor<3xf32>)
// CHECK:           arith.addf
// CHECK:         %[[OUT:.*]] = tensor.expand_shape %[[YB]] {{\[\[}}0, 1], [2]] output_shape [1, 5, 3] : tensor<5x3xf32> into tensor<1x5x3xf32>
// CHECK-NOT:     linalg.batch_matmul
// CHECK:         return %[[OUT]]
#map = affine_map<(d0, d1, d2) -> (d1, d2)>
#map1 = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
#map2 = affine_map<(d0, d1, d2) -> (d2)>
func.func @linear_in_sequence(%arg0: tensor<1x5x4xf32>) -> tensor<1x5x3xf32> {
  %cst = arith.constant 0.000000e+00 : f32
  %cst_0 = arith.constant dense<[-0.325732887, -0.0256596804, 0.357925415]> : tensor<3xf32>
  %cst_1 = arith.constant dense<[[0.196214139, -0.47962445, -0.174916685], [0.0299500823, -0.29635334, -0.409810841], [-0.243964374, -0.125164926, -0.106357574], [0.236594498, -0.243556678, 0.106878221]]> : tensor<4x3xf32>
  %0 = tensor.empty() : tensor<1x4x3xf32>
  %1 = linalg.generic {indexing_maps = [#map, #map1], iterator_types = ["parallel", "parallel", "parallel"]} ins(%cst_1 : tensor<4x3xf32>) outs(%0 : tensor<1x4x3xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  } -> tensor<1x4x3xf32>
  %2 = tensor.empty() : tensor<1x5x3xf32>
  %3 = linalg.fill ins(%cst : f32) outs(%2 : tensor<1x5x3xf32>) -> tensor<1x5x3xf32>
  %4 = linalg.batch_matmul ins(%arg0, %1 : tensor<1x5x4xf32>, tensor<1x4x3xf32>) outs(%3 : tensor<1x5x3xf32>) -> tensor<1x5x3xf32>
  %5 = linalg.generic {indexing_maps = [#map2, #map1, #map1], iterator_types = ["parallel", "parallel", "parallel"]} ins(%cst_0, %4 : tensor<3xf32>, tensor<1x5x3xf32>) outs(%2 : tensor<1x5x3xf32>) {
  ^bb0(%in: f32, %in_2: f32, %out: f32):
    %6 = arith.addf %in, %in_2 : f32
    linalg.yield %6 : f32
  } -> tensor<1x5x3xf32>
  return %5 : tensor<1x5x3xf32>
}

// -----

// The same Linear on a batch of 2: the broadcast grows the weight, so it is
// not folded; the Linear rule reads the broadcast's source and collapses
// 2x5 rows into 10.
// CHECK-LABEL: func.func @linear_batch_of_two
// CHECK-DAG:     %[[W:.*]] = arith.constant dense<{{.*}}> : tensor<4x3xf32>
// CHECK:         %[[X2:.*]] = tensor.collapse_shape %{{.*}} {{\[\[}}0, 1], [2]] : tensor<2x5x4xf32> into tensor<10x4xf32>
// CHECK:         linalg.matmul ins(%[[X2]], %[[W]] : tensor<10x4xf32>, tensor<4x3xf32>)
// CHECK:         tensor.expand_shape %{{.*}} output_shape [2, 5, 3] : tensor<10x3xf32> into tensor<2x5x3xf32>
// CHECK-NOT:     linalg.batch_matmul
#map = affine_map<(d0, d1, d2) -> (d1, d2)>
#map1 = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
#map2 = affine_map<(d0, d1, d2) -> (d2)>
func.func @linear_batch_of_two(%arg0: tensor<2x5x4xf32>) -> tensor<2x5x3xf32> {
  %cst = arith.constant 0.000000e+00 : f32
  %cst_0 = arith.constant dense<[0.139572263, 0.240252674, 0.176579475]> : tensor<3xf32>
  %cst_1 = arith.constant dense<[[-2.039460e-01, 0.316348672, -0.404047608], [0.451501548, -0.0576972365, 0.0536524653], [0.181076884, -0.223203421, -0.104684353], [-0.451230466, 0.399826646, 0.35705632]]> : tensor<4x3xf32>
  %0 = tensor.empty() : tensor<2x4x3xf32>
  %1 = linalg.generic {indexing_maps = [#map, #map1], iterator_types = ["parallel", "parallel", "parallel"]} ins(%cst_1 : tensor<4x3xf32>) outs(%0 : tensor<2x4x3xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  } -> tensor<2x4x3xf32>
  %2 = tensor.empty() : tensor<2x5x3xf32>
  %3 = linalg.fill ins(%cst : f32) outs(%2 : tensor<2x5x3xf32>) -> tensor<2x5x3xf32>
  %4 = linalg.batch_matmul ins(%arg0, %1 : tensor<2x5x4xf32>, tensor<2x4x3xf32>) outs(%3 : tensor<2x5x3xf32>) -> tensor<2x5x3xf32>
  %5 = linalg.generic {indexing_maps = [#map2, #map1, #map1], iterator_types = ["parallel", "parallel", "parallel"]} ins(%cst_0, %4 : tensor<3xf32>, tensor<2x5x3xf32>) outs(%2 : tensor<2x5x3xf32>) {
  ^bb0(%in: f32, %in_2: f32, %out: f32):
    %6 = arith.addf %in, %in_2 : f32
    linalg.yield %6 : f32
  } -> tensor<2x5x3xf32>
  return %5 : tensor<2x5x3xf32>
}

// -----

// Attention's Q x K^T multiplies two activations: nothing to normalize, the
// batch_matmul and the transpose of a non-constant stay.
// CHECK-LABEL: func.func @attention_scores
// CHECK:         linalg.transpose
// CHECK:         linalg.batch_matmul
// CHECK-NOT:     linalg.matmul
func.func @attention_scores(%arg0: tensor<2x5x4xf32>, %arg1: tensor<2x5x4xf32>) -> tensor<2x5x5xf32> {
  %cst = arith.constant 0.000000e+00 : f32
  %0 = tensor.empty() : tensor<2x4x5xf32>
  %transposed = linalg.transpose ins(%arg1 : tensor<2x5x4xf32>) outs(%0 : tensor<2x4x5xf32>) permutation = [0, 2, 1]
  %1 = tensor.empty() : tensor<2x5x5xf32>
  %2 = linalg.fill ins(%cst : f32) outs(%1 : tensor<2x5x5xf32>) -> tensor<2x5x5xf32>
  %3 = linalg.batch_matmul ins(%arg0, %transposed : tensor<2x5x4xf32>, tensor<2x4x5xf32>) outs(%2 : tensor<2x5x5xf32>) -> tensor<2x5x5xf32>
  return %3 : tensor<2x5x5xf32>
}

// -----

// nn.Conv2d(2, 3, 3, padding=1): pad, the bias broadcast into the init,
// conv_2d_nchw_fchw. The bias moves out of the init into an add after the
// convolution; the pad stays.
// CHECK-DAG:   #[[ID4:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// CHECK-DAG:   #[[CH:.*]] = affine_map<(d0, d1, d2, d3) -> (d1)>
// CHECK-LABEL: func.func @conv_bias_in_init
// CHECK-DAG:     %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK-DAG:     %[[B:.*]] = arith.constant dense<[-0.0397064053, -0.0387874357, -0.107894331]> : tensor<3xf32>
// CHECK:         %[[P:.*]] = tensor.pad
// CHECK-NOT:     linalg.broadcast
// CHECK:         %[[INIT:.*]] = linalg.fill ins(%[[ZERO]] : f32)
// CHECK:         %[[C:.*]] = linalg.conv_2d_nchw_fchw {dilations = dense<1> : vector<2xi64>, strides = dense<1> : vector<2xi64>} ins(%[[P]], %{{.*}} : tensor<1x2x6x6xf32>, tensor<3x2x3x3xf32>) outs(%[[INIT]] : tensor<1x3x4x4xf32>)
// CHECK:         %[[OUT:.*]] = linalg.generic {indexing_maps = [#[[ID4]], #[[CH]], #[[ID4]]]{{.*}} ins(%[[C]], %[[B]] : tensor<1x3x4x4xf32>, tensor<3xf32>)
// CHECK:           arith.addf
// CHECK:         return %[[OUT]]
func.func @conv_bias_in_init(%arg0: tensor<1x2x4x4xf32>) -> tensor<1x3x4x4xf32> {
  %cst = arith.constant 0.000000e+00 : f32
  %cst_0 = arith.constant dense<[[[[0.203646943, -0.152777404, -0.108501501], [-0.164671138, -0.220749542, -0.137588948], [0.202609196, 0.105174676, 0.114238419]], [[0.01239595, -0.120840661, 0.0398772135], [-0.220073953, -0.170310497, -0.121511586], [0.148713499, 0.138197243, -0.104532786]]], [[[-0.00850469991, 0.150745898, 0.234319419], [0.0935460254, 0.0318416916, 0.158035144], [-0.138782039, 0.0439217091, -0.182741255]], [[-0.163361967, -0.121759914, 0.106648922], [0.094790116, -0.139618829, 0.0712073222], [0.12939395, -0.0297497176, 0.0089994762]]], [[[0.0546133257, 0.146224171, 0.226319924], [-0.181637719, -0.0863777473, 0.0926333219], [0.195290968, 0.205109835, 0.20797348]], [[0.0469081774, -0.204962596, 0.0216828398], [-0.147456601, -0.219663695, 0.209419683], [0.179218516, -0.235119596, 0.044116877]]]]> : tensor<3x2x3x3xf32>
  %cst_1 = arith.constant dense<[-0.0397064053, -0.0387874357, -0.107894331]> : tensor<3xf32>
  %padded = tensor.pad %arg0 low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%arg1: index, %arg2: index, %arg3: index, %arg4: index):
    tensor.yield %cst : f32
  } : tensor<1x2x4x4xf32> to tensor<1x2x6x6xf32>
  %0 = tensor.empty() : tensor<1x3x4x4xf32>
  %broadcasted = linalg.broadcast ins(%cst_1 : tensor<3xf32>) outs(%0 : tensor<1x3x4x4xf32>) dimensions = [0, 2, 3]
  %1 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : vector<2xi64>, strides = dense<1> : vector<2xi64>} ins(%padded, %cst_0 : tensor<1x2x6x6xf32>, tensor<3x2x3x3xf32>) outs(%broadcasted : tensor<1x3x4x4xf32>) -> tensor<1x3x4x4xf32>
  return %1 : tensor<1x3x4x4xf32>
}

// -----

// Broadcasts that grow the data are not folded (a bias broadcast over a
// batch feeding an elementwise add stays a broadcast); neither is a
// transpose of an argument.
// CHECK-LABEL: func.func @growing_broadcast_stays
// CHECK:         linalg.broadcast
// CHECK:         linalg.transpose ins(%arg0
func.func @growing_broadcast_stays(%arg0: tensor<3x2xf32>) -> (tensor<4x3xf32>, tensor<2x3xf32>) {
  %cst = arith.constant dense<[1.0, 2.0, 3.0]> : tensor<3xf32>
  %0 = tensor.empty() : tensor<4x3xf32>
  %b = linalg.broadcast ins(%cst : tensor<3xf32>) outs(%0 : tensor<4x3xf32>) dimensions = [0]
  %1 = tensor.empty() : tensor<2x3xf32>
  %t = linalg.transpose ins(%arg0 : tensor<3x2xf32>) outs(%1 : tensor<2x3xf32>) permutation = [1, 0]
  return %b, %t : tensor<4x3xf32>, tensor<2x3xf32>
}

// -----

// A batch_matmul whose right operand differs per batch (a 2x4x3 constant)
// is not a Linear and stays batched; a 3-D transpose of a constant folds
// exactly (element [b][k][n] of the result is element [b][n][k] of the
// source).
// CHECK-LABEL: func.func @per_batch_weight_stays
// CHECK:         %[[W:.*]] = arith.constant dense<{{\[\[\[}}1.000000e+00, 4.000000e+00], [2.000000e+00, 5.000000e+00], [3.000000e+00, 6.000000e+00]], {{\[\[}}7.000000e+00, 1.000000e+01], [8.000000e+00, 1.100000e+01], [9.000000e+00, 1.200000e+01]]]> : tensor<2x3x2xf32>
// CHECK:         linalg.batch_matmul ins(%arg0, %[[W]]
func.func @per_batch_weight_stays(%arg0: tensor<2x5x3xf32>) -> tensor<2x5x2xf32> {
  %cst = arith.constant 0.000000e+00 : f32
  %w = arith.constant dense<[[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], [[7.0, 8.0, 9.0], [10.0, 11.0, 12.0]]]> : tensor<2x2x3xf32>
  %0 = tensor.empty() : tensor<2x3x2xf32>
  %t = linalg.transpose ins(%w : tensor<2x2x3xf32>) outs(%0 : tensor<2x3x2xf32>) permutation = [0, 2, 1]
  %1 = tensor.empty() : tensor<2x5x2xf32>
  %2 = linalg.fill ins(%cst : f32) outs(%1 : tensor<2x5x2xf32>) -> tensor<2x5x2xf32>
  %3 = linalg.batch_matmul ins(%arg0, %t : tensor<2x5x3xf32>, tensor<2x3x2xf32>) outs(%2 : tensor<2x5x2xf32>) -> tensor<2x5x2xf32>
  return %3 : tensor<2x5x2xf32>
}

// -----

// With a dynamic batch the bias add writes into the broadcast's own init:
// nothing but the bias add reads the convolution's result (a tensor.dim of
// it would be a second use, and observers and fusion follow single uses).
// CHECK-LABEL: func.func @conv_dynamic_batch
// CHECK:         %[[C:.*]] = linalg.conv_2d_nchw_fchw
// CHECK-NOT:     tensor.dim %[[C]]
// CHECK:         linalg.generic {{.*}} ins(%[[C]], %{{.*}} : tensor<?x3x2x2xf32>, tensor<3xf32>)
func.func @conv_dynamic_batch(%arg0: tensor<?x2x4x4xf32>) -> tensor<?x3x2x2xf32> {
  %c0 = arith.constant 0 : index
  %w = arith.constant dense<0.5> : tensor<3x2x3x3xf32>
  %bias = arith.constant dense<[1.0, 2.0, 3.0]> : tensor<3xf32>
  %dim = tensor.dim %arg0, %c0 : tensor<?x2x4x4xf32>
  %0 = tensor.empty(%dim) : tensor<?x3x2x2xf32>
  %b = linalg.broadcast ins(%bias : tensor<3xf32>) outs(%0 : tensor<?x3x2x2xf32>) dimensions = [0, 2, 3]
  %1 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : vector<2xi64>, strides = dense<1> : vector<2xi64>} ins(%arg0, %w : tensor<?x2x4x4xf32>, tensor<3x2x3x3xf32>) outs(%b : tensor<?x3x2x2xf32>) -> tensor<?x3x2x2xf32>
  return %1 : tensor<?x3x2x2xf32>
}
