// RUN: slim-opt %s -split-input-file -verify-diagnostics "--slim-prune=pattern=channel sparsity=0.5" | FileCheck %s
// RUN: slim-opt %s -split-input-file "--slim-prune=pattern=head sparsity=0.5" 2>/dev/null | FileCheck %s --check-prefix=CHECK-HEAD

// pattern=channel removes whole output channels of a layer and the matching
// input channels of the layer reading them, through its bias add and
// activation: the shapes shrink. A channel scores the norm of the column
// computing it times the norm of the row reading it: here 0.17 * 1.4,
// 3.5 * 2.8, 1.7 * 4.2 and 0.017 * 5.7, so channels 0 and 3 go.

// CHECK-LABEL: func.func @ffn
// CHECK-DAG: %[[W1:.*]] = arith.constant dense<{{\[}}[2.000000e+00, 1.000000e+00], [2.000000e+00, 1.000000e+00], [2.000000e+00, 1.000000e+00]]> : tensor<3x2xf32>
// CHECK-DAG: %[[B1:.*]] = arith.constant dense<[2.000000e+00, 3.000000e+00]> : tensor<2xf32>
// CHECK-DAG: %[[W2:.*]] = arith.constant dense<{{\[}}[2.000000e+00, 2.000000e+00], [3.000000e+00, 3.000000e+00]]> : tensor<2x2xf32>
// CHECK: %[[H:.*]] = linalg.matmul {slim.sparsity = #slim.sparsity<channel, n = 0, m = 0, blockRows = 0, blockCols = 0, zeros = 5.000000e-01 : f64>} ins(%{{.*}}, %[[W1]] : tensor<2x3xf32>, tensor<3x2xf32>) outs(%{{.*}} : tensor<2x2xf32>) -> tensor<2x2xf32>
// CHECK: %[[HB:.*]] = linalg.generic {{.*}} ins(%[[H]], %[[B1]] : tensor<2x2xf32>, tensor<2xf32>)
// CHECK: %[[R:.*]] = linalg.generic {{.*}} ins(%[[HB]] : tensor<2x2xf32>) outs(%{{.*}} : tensor<2x2xf32>)
// CHECK: linalg.matmul {slim.sparsity = #slim.sparsity<channel{{.*}}} ins(%[[R]], %[[W2]] : tensor<2x2xf32>, tensor<2x2xf32>) outs(%{{.*}} : tensor<2x2xf32>) -> tensor<2x2xf32>
// The head pattern leaves it alone: nothing splits its channels into heads.
// CHECK-HEAD-LABEL: func.func @ffn
// CHECK-HEAD: tensor<3x4xf32>
#id = affine_map<(m, n) -> (m, n)>
#row = affine_map<(m, n) -> (n)>
func.func @ffn(%x: tensor<2x3xf32>) -> tensor<2x2xf32> {
  %w1 = arith.constant dense<[[0.1, 2.0, 1.0, 0.01], [0.1, 2.0, 1.0, 0.01], [0.1, 2.0, 1.0, 0.01]]> : tensor<3x4xf32>
  %b1 = arith.constant dense<[1.0, 2.0, 3.0, 4.0]> : tensor<4xf32>
  %w2 = arith.constant dense<[[1.0, 1.0], [2.0, 2.0], [3.0, 3.0], [4.0, 4.0]]> : tensor<4x2xf32>
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2x4xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<2x4xf32>) -> tensor<2x4xf32>
  // expected-remark @+1 {{removed 2 of 4 channels (magnitude) from 2 layer(s): 10 of 20 weights left}}
  %h = linalg.matmul ins(%x, %w1 : tensor<2x3xf32>, tensor<3x4xf32>) outs(%f : tensor<2x4xf32>) -> tensor<2x4xf32>
  %hb = linalg.generic {indexing_maps = [#id, #row, #id], iterator_types = ["parallel", "parallel"]} ins(%h, %b1 : tensor<2x4xf32>, tensor<4xf32>) outs(%e : tensor<2x4xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %s = arith.addf %a, %b : f32
    linalg.yield %s : f32
  } -> tensor<2x4xf32>
  %r = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%hb : tensor<2x4xf32>) outs(%e : tensor<2x4xf32>) {
  ^bb0(%a: f32, %o: f32):
    %s = arith.maximumf %a, %z : f32
    linalg.yield %s : f32
  } -> tensor<2x4xf32>
  %e2 = tensor.empty() : tensor<2x2xf32>
  %f2 = linalg.fill ins(%z : f32) outs(%e2 : tensor<2x2xf32>) -> tensor<2x2xf32>
  // expected-remark @+2 {{output channels left as they are: it reaches func.return, which channel pruning cannot rewrite}}
  // expected-note @+2 {{here: func.return}}
  %y = linalg.matmul ins(%r, %w2 : tensor<2x4xf32>, tensor<4x2xf32>) outs(%f2 : tensor<2x2xf32>) -> tensor<2x2xf32>
  return %y : tensor<2x2xf32>
}

// -----

// Through reshapes that keep each channel a whole slice (a leading unit
// dimension added and collapsed again) and a slim.observe.

// CHECK-LABEL: func.func @reshaped
// CHECK: linalg.matmul {{.*}} -> tensor<4x1xf32>
// CHECK: tensor.expand_shape %{{.*}} {{\[}}[0, 1], [2]] output_shape [1, 4, 1] : tensor<4x1xf32> into tensor<1x4x1xf32>
// CHECK: slim.observe %{{.*}} id "h" : tensor<1x4x1xf32>
// CHECK: tensor.collapse_shape %{{.*}} {{\[}}[0, 1], [2]] : tensor<1x4x1xf32> into tensor<4x1xf32>
// CHECK: linalg.matmul {{.*}} ins(%{{.*}}, %{{.*}} : tensor<4x1xf32>, tensor<1x3xf32>)
// CHECK-HEAD-LABEL: func.func @reshaped
func.func @reshaped(%x: tensor<4x2xf32>) -> tensor<4x3xf32> {
  %w1 = arith.constant dense<[[1.0, 5.0], [1.0, 5.0]]> : tensor<2x2xf32>
  %w2 = arith.constant dense<1.0> : tensor<2x3xf32>
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x2xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<4x2xf32>) -> tensor<4x2xf32>
  // expected-remark @+1 {{removed 1 of 2 channels}}
  %h = linalg.matmul ins(%x, %w1 : tensor<4x2xf32>, tensor<2x2xf32>) outs(%f : tensor<4x2xf32>) -> tensor<4x2xf32>
  %x3 = tensor.expand_shape %h [[0, 1], [2]] output_shape [1, 4, 2] : tensor<4x2xf32> into tensor<1x4x2xf32>
  %o = slim.observe %x3 id "h" : tensor<1x4x2xf32>
  %c = tensor.collapse_shape %o [[0, 1], [2]] : tensor<1x4x2xf32> into tensor<4x2xf32>
  %e2 = tensor.empty() : tensor<4x3xf32>
  %f2 = linalg.fill ins(%z : f32) outs(%e2 : tensor<4x3xf32>) -> tensor<4x3xf32>
  // expected-remark @+2 {{it reaches func.return}}
  // expected-note @+2 {{here: func.return}}
  %y = linalg.matmul ins(%c, %w2 : tensor<4x2xf32>, tensor<2x3xf32>) outs(%f2 : tensor<4x3xf32>) -> tensor<4x3xf32>
  return %y : tensor<4x3xf32>
}

// -----

// A convolution's filters, through a ReLU and a max pool, into the next
// convolution's input channels; the second one's own filters reach the
// function's result and stay.

// CHECK-LABEL: func.func @convs
// CHECK: linalg.conv_2d_nchw_fchw {{.*}} ins(%{{.*}}, %{{.*}} : tensor<1x1x6x6xf32>, tensor<2x1x3x3xf32>) outs(%{{.*}} : tensor<1x2x4x4xf32>)
// CHECK: } -> tensor<1x2x4x4xf32>
// CHECK: linalg.pooling_nchw_max {{.*}} -> tensor<1x2x2x2xf32>
// CHECK: linalg.conv_2d_nchw_fchw {{.*}} ins(%{{.*}}, %{{.*}} : tensor<1x2x2x2xf32>, tensor<3x2x1x1xf32>) outs(%{{.*}} : tensor<1x3x2x2xf32>)
// CHECK-HEAD-LABEL: func.func @convs
#id4 = affine_map<(n, c, h, w) -> (n, c, h, w)>
func.func @convs(%x: tensor<1x1x6x6xf32>) -> tensor<1x3x2x2xf32> {
  %k1 = arith.constant dense<[[[[1.0, 1.0, 1.0], [1.0, 1.0, 1.0], [1.0, 1.0, 1.0]]], [[[0.1, 0.1, 0.1], [0.1, 0.1, 0.1], [0.1, 0.1, 0.1]]], [[[2.0, 2.0, 2.0], [2.0, 2.0, 2.0], [2.0, 2.0, 2.0]]], [[[0.2, 0.2, 0.2], [0.2, 0.2, 0.2], [0.2, 0.2, 0.2]]]]> : tensor<4x1x3x3xf32>
  %k2 = arith.constant dense<1.0> : tensor<3x4x1x1xf32>
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x4x4x4xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<1x4x4x4xf32>) -> tensor<1x4x4x4xf32>
  // expected-remark @+1 {{removed 2 of 4 channels (magnitude) from 2 layer(s): 24 of 48 weights left}}
  %c1 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %k1 : tensor<1x1x6x6xf32>, tensor<4x1x3x3xf32>) outs(%f : tensor<1x4x4x4xf32>) -> tensor<1x4x4x4xf32>
  %r = linalg.generic {indexing_maps = [#id4, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%c1 : tensor<1x4x4x4xf32>) outs(%e : tensor<1x4x4x4xf32>) {
  ^bb0(%a: f32, %o: f32):
    %s = arith.maximumf %a, %z : f32
    linalg.yield %s : f32
  } -> tensor<1x4x4x4xf32>
  %win = tensor.empty() : tensor<2x2xf32>
  %ninf = arith.constant 0xFF800000 : f32
  %ep = tensor.empty() : tensor<1x4x2x2xf32>
  %fp = linalg.fill ins(%ninf : f32) outs(%ep : tensor<1x4x2x2xf32>) -> tensor<1x4x2x2xf32>
  %p = linalg.pooling_nchw_max {dilations = dense<1> : vector<2xi64>, strides = dense<2> : vector<2xi64>} ins(%r, %win : tensor<1x4x4x4xf32>, tensor<2x2xf32>) outs(%fp : tensor<1x4x2x2xf32>) -> tensor<1x4x2x2xf32>
  %e2 = tensor.empty() : tensor<1x3x2x2xf32>
  %f2 = linalg.fill ins(%z : f32) outs(%e2 : tensor<1x3x2x2xf32>) -> tensor<1x3x2x2xf32>
  // expected-remark @+2 {{output channels left as they are: it reaches func.return, which channel pruning cannot rewrite}}
  // expected-note @+2 {{here: func.return}}
  %c2 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%p, %k2 : tensor<1x4x2x2xf32>, tensor<3x4x1x1xf32>) outs(%f2 : tensor<1x3x2x2xf32>) -> tensor<1x3x2x2xf32>
  return %c2 : tensor<1x3x2x2xf32>
}

// -----

// The importer's form of a CNN: a dynamic batch, the bias broadcast into
// the convolution's init, the next convolution's input padded (not along
// the channels), a flatten into the classifier, which loses the rows of
// the removed channels' 2 x 2 pixels. Filters 1 and 3 are the small ones.

// CHECK-LABEL: func.func @importer_cnn
// CHECK-NOT: tensor<?x4x4x4xf32>
// CHECK-DAG: %[[B:.*]] = arith.constant dense<[1.000000e+00, 3.000000e+00]> : tensor<2xf32>
// CHECK-DAG: %[[E:.*]] = tensor.empty(%{{.*}}) : tensor<?x2x4x4xf32>
// CHECK: %[[I:.*]] = linalg.broadcast ins(%[[B]] : tensor<2xf32>) outs(%[[E]] : tensor<?x2x4x4xf32>) dimensions = [0, 2, 3]
// CHECK: linalg.conv_2d_nchw_fchw {{.*}} ins(%{{.*}}, %{{.*}} : tensor<?x1x6x6xf32>, tensor<2x1x3x3xf32>) outs(%[[I]] : tensor<?x2x4x4xf32>)
// CHECK: tensor.pad %{{.*}} low[0, 0, 1, 1] high[0, 0, 1, 1]
// CHECK: } : tensor<?x2x4x4xf32> to tensor<?x2x6x6xf32>
// CHECK: tensor.collapse_shape %{{.*}} {{\[}}[0], [1, 2, 3]] : tensor<?x2x2x2xf32> into tensor<?x8xf32>
// CHECK: linalg.matmul {{.*}} ins(%{{.*}}, %{{.*}} : tensor<?x8xf32>, tensor<8x3xf32>)
// CHECK-HEAD-LABEL: func.func @importer_cnn
func.func @importer_cnn(%x: tensor<?x1x6x6xf32>) -> tensor<?x3xf32> {
  %k1 = arith.constant dense<[[[[1.0, 1.0, 1.0], [1.0, 1.0, 1.0], [1.0, 1.0, 1.0]]], [[[0.1, 0.1, 0.1], [0.1, 0.1, 0.1], [0.1, 0.1, 0.1]]], [[[2.0, 2.0, 2.0], [2.0, 2.0, 2.0], [2.0, 2.0, 2.0]]], [[[0.2, 0.2, 0.2], [0.2, 0.2, 0.2], [0.2, 0.2, 0.2]]]]> : tensor<4x1x3x3xf32>
  %b1 = arith.constant dense<[1.0, 2.0, 3.0, 4.0]> : tensor<4xf32>
  %w = arith.constant dense<1.0> : tensor<16x3xf32>
  %z = arith.constant 0.0 : f32
  %c0 = arith.constant 0 : index
  %n = tensor.dim %x, %c0 : tensor<?x1x6x6xf32>
  %e = tensor.empty(%n) : tensor<?x4x4x4xf32>
  %init = linalg.broadcast ins(%b1 : tensor<4xf32>) outs(%e : tensor<?x4x4x4xf32>) dimensions = [0, 2, 3]
  // expected-remark @+1 {{removed 2 of 4 channels (magnitude) from 2 layer(s): 42 of 84 weights left}}
  %c1 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %k1 : tensor<?x1x6x6xf32>, tensor<4x1x3x3xf32>) outs(%init : tensor<?x4x4x4xf32>) -> tensor<?x4x4x4xf32>
  %p = tensor.pad %c1 low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%i0: index, %i1: index, %i2: index, %i3: index):
    tensor.yield %z : f32
  } : tensor<?x4x4x4xf32> to tensor<?x4x6x6xf32>
  %win = tensor.empty() : tensor<3x3xf32>
  %ninf = arith.constant 0xFF800000 : f32
  %ep = tensor.empty(%n) : tensor<?x4x2x2xf32>
  %fp = linalg.fill ins(%ninf : f32) outs(%ep : tensor<?x4x2x2xf32>) -> tensor<?x4x2x2xf32>
  %pool = linalg.pooling_nchw_max {dilations = dense<1> : vector<2xi64>, strides = dense<2> : vector<2xi64>} ins(%p, %win : tensor<?x4x6x6xf32>, tensor<3x3xf32>) outs(%fp : tensor<?x4x2x2xf32>) -> tensor<?x4x2x2xf32>
  %flat = tensor.collapse_shape %pool [[0], [1, 2, 3]] : tensor<?x4x2x2xf32> into tensor<?x16xf32>
  %e2 = tensor.empty(%n) : tensor<?x3xf32>
  %f2 = linalg.fill ins(%z : f32) outs(%e2 : tensor<?x3xf32>) -> tensor<?x3xf32>
  // expected-remark @+2 {{it reaches func.return}}
  // expected-note @+2 {{here: func.return}}
  %y = linalg.matmul ins(%flat, %w : tensor<?x16xf32>, tensor<16x3xf32>) outs(%f2 : tensor<?x3xf32>) -> tensor<?x3xf32>
  return %y : tensor<?x3xf32>
}

// -----

// Attention heads as units (pattern=head): Q, K and V are found together
// from Q (K through Q K^T's batch dimension, V through P V's), each loses
// the columns of the removed head, the biases theirs, the batch matmuls
// and the softmax one head, the output projection the head's rows. V's
// head 0 is quiet, so head 0 goes. Channel pruning cannot split a
// channel dimension into heads: it refuses each projection.

// CHECK-HEAD-LABEL: func.func @attention
// CHECK-HEAD-DAG: %[[WV:.*]] = arith.constant dense<{{\[}}[3.000000e+00, 4.000000e+00], [3.000000e+00, 4.000000e+00]]> : tensor<2x2xf32>
// CHECK-HEAD-DAG: %[[WO:.*]] = arith.constant dense<{{\[}}[5.000000e+00, 5.000000e+00], [6.000000e+00, 6.000000e+00]]> : tensor<2x2xf32>
// CHECK-HEAD: linalg.matmul {slim.sparsity = #slim.sparsity<head, n = 0, m = 0, blockRows = 0, blockCols = 0, zeros = 5.000000e-01 : f64>} {{.*}} -> tensor<3x2xf32>
// CHECK-HEAD: tensor.expand_shape %{{.*}} {{\[}}[0], [1, 2]] output_shape [3, 1, 2] : tensor<3x2xf32> into tensor<3x1x2xf32>
// CHECK-HEAD: linalg.matmul {{.*}} -> tensor<3x2xf32>
// CHECK-HEAD: linalg.matmul {{.*}} ins(%{{.*}}, %[[WV]] : tensor<3x2xf32>, tensor<2x2xf32>)
// CHECK-HEAD: linalg.batch_matmul ins(%{{.*}}, %{{.*}} : tensor<1x3x2xf32>, tensor<1x2x3xf32>) outs(%{{.*}} : tensor<1x3x3xf32>)
// CHECK-HEAD: } -> tensor<1x3x3xf32>
// CHECK-HEAD: linalg.batch_matmul ins(%{{.*}}, %{{.*}} : tensor<1x3x3xf32>, tensor<1x3x2xf32>) outs(%{{.*}} : tensor<1x3x2xf32>)
// CHECK-HEAD: tensor.collapse_shape %{{.*}} {{\[}}[0], [1, 2]] : tensor<3x1x2xf32> into tensor<3x2xf32>
// CHECK-HEAD: linalg.matmul {{.*}} ins(%{{.*}}, %[[WO]] : tensor<3x2xf32>, tensor<2x2xf32>) outs(%{{.*}} : tensor<3x2xf32>) -> tensor<3x2xf32>
// CHECK-LABEL: func.func @attention
// CHECK: tensor<4x4xf32>
#id3 = affine_map<(h, i, j) -> (h, i, j)>
func.func @attention(%x: tensor<3x4xf32>) -> tensor<3x2xf32> {
  %wq = arith.constant dense<1.0> : tensor<4x4xf32>
  %wk = arith.constant dense<1.0> : tensor<4x4xf32>
  %wv = arith.constant dense<[[0.1, 0.2, 3.0, 4.0], [0.1, 0.2, 3.0, 4.0]]> : tensor<2x4xf32>
  %wo = arith.constant dense<[[1.0, 1.0], [2.0, 2.0], [5.0, 5.0], [6.0, 6.0]]> : tensor<4x2xf32>
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<3x4xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<3x4xf32>) -> tensor<3x4xf32>
  // expected-remark @+2 {{output channels left as they are: a reshape splits the pruned dimension into pieces that cut its units of 1}}
  // expected-note @+2 {{here: tensor.expand_shape}}
  %q = linalg.matmul ins(%x, %wq : tensor<3x4xf32>, tensor<4x4xf32>) outs(%f : tensor<3x4xf32>) -> tensor<3x4xf32>
  %q3 = tensor.expand_shape %q [[0], [1, 2]] output_shape [3, 2, 2] : tensor<3x4xf32> into tensor<3x2x2xf32>
  // expected-remark @+2 {{output channels left as they are: a reshape splits the pruned dimension}}
  // expected-note @+2 {{here: tensor.expand_shape}}
  %k = linalg.matmul ins(%x, %wk : tensor<3x4xf32>, tensor<4x4xf32>) outs(%f : tensor<3x4xf32>) -> tensor<3x4xf32>
  %k3 = tensor.expand_shape %k [[0], [1, 2]] output_shape [3, 2, 2] : tensor<3x4xf32> into tensor<3x2x2xf32>
  %x2 = tensor.extract_slice %x[0, 0] [3, 2] [1, 1] : tensor<3x4xf32> to tensor<3x2xf32>
  // expected-remark @+2 {{output channels left as they are: a reshape splits the pruned dimension}}
  // expected-note @+2 {{here: tensor.expand_shape}}
  %v = linalg.matmul ins(%x2, %wv : tensor<3x2xf32>, tensor<2x4xf32>) outs(%f : tensor<3x4xf32>) -> tensor<3x4xf32>
  %v3 = tensor.expand_shape %v [[0], [1, 2]] output_shape [3, 2, 2] : tensor<3x4xf32> into tensor<3x2x2xf32>
  %eh = tensor.empty() : tensor<2x3x2xf32>
  %qt = linalg.transpose ins(%q3 : tensor<3x2x2xf32>) outs(%eh : tensor<2x3x2xf32>) permutation = [1, 0, 2]
  %vt = linalg.transpose ins(%v3 : tensor<3x2x2xf32>) outs(%eh : tensor<2x3x2xf32>) permutation = [1, 0, 2]
  %ekt = tensor.empty() : tensor<2x2x3xf32>
  %kt = linalg.transpose ins(%k3 : tensor<3x2x2xf32>) outs(%ekt : tensor<2x2x3xf32>) permutation = [1, 2, 0]
  %es = tensor.empty() : tensor<2x3x3xf32>
  %fs = linalg.fill ins(%z : f32) outs(%es : tensor<2x3x3xf32>) -> tensor<2x3x3xf32>
  %s = linalg.batch_matmul ins(%qt, %kt : tensor<2x3x2xf32>, tensor<2x2x3xf32>) outs(%fs : tensor<2x3x3xf32>) -> tensor<2x3x3xf32>
  %p = linalg.generic {indexing_maps = [#id3, #id3], iterator_types = ["parallel", "parallel", "parallel"]} ins(%s : tensor<2x3x3xf32>) outs(%es : tensor<2x3x3xf32>) {
  ^bb0(%a: f32, %o: f32):
    %t = math.exp %a : f32
    linalg.yield %t : f32
  } -> tensor<2x3x3xf32>
  %fo = linalg.fill ins(%z : f32) outs(%eh : tensor<2x3x2xf32>) -> tensor<2x3x2xf32>
  %pv = linalg.batch_matmul ins(%p, %vt : tensor<2x3x3xf32>, tensor<2x3x2xf32>) outs(%fo : tensor<2x3x2xf32>) -> tensor<2x3x2xf32>
  %ec = tensor.empty() : tensor<3x2x2xf32>
  %pvt = linalg.transpose ins(%pv : tensor<2x3x2xf32>) outs(%ec : tensor<3x2x2xf32>) permutation = [1, 0, 2]
  %c = tensor.collapse_shape %pvt [[0], [1, 2]] : tensor<3x2x2xf32> into tensor<3x4xf32>
  %e2 = tensor.empty() : tensor<3x2xf32>
  %f2 = linalg.fill ins(%z : f32) outs(%e2 : tensor<3x2xf32>) -> tensor<3x2xf32>
  // expected-remark @+2 {{output channels left as they are: it reaches func.return}}
  // expected-note @+2 {{here: func.return}}
  %y = linalg.matmul ins(%c, %wo : tensor<3x4xf32>, tensor<4x2xf32>) outs(%f2 : tensor<3x2xf32>) -> tensor<3x2xf32>
  return %y : tensor<3x2xf32>
}
