// A two-convolution CNN (NCHW, ReLU between) whose first layer's output
// channels are pruned (the second reads them): Wanda scores each channel
// by its share of the second convolution's output on the calibration
// inputs, from the Gram matrix of its input patches (36 taps: 3 x 3 x 4
// channels, the channel innermost), and SparseGPT also moves the second
// filter's kept taps to make up for the removed channels; its output error
// is lower. By magnitude (channels 1 and 3 go: the smallest filters),
// the pruned model computes what the unpruned one does with the second
// convolution's taps on those channels zeroed (Inputs/two-convs-masked.mlir):
// the removed channels' outputs (their bias through the ReLU) are no
// longer read.
//
// RUN: rm -rf %t && mkdir -p %t
// RUN: %ref gen %t/x.npy --shape 6,2,7,7 --range=-1,1 --seed 21
// RUN: slim-opt %s --slim-insert-observers -o %t/obs.mlir
// RUN: slim-run %t/obs.mlir --calibrate %t/x.npy --batch 6 --stats-file %t/s.json --hessians %t/h
// RUN: slim-run %s --input %t/x.npy --output %t/float.npy
// RUN: slim-opt %t/obs.mlir "--slim-prune=pattern=channel sparsity=0.5 criterion=wanda hessians=%t/h" --slim-lower-observers -o %t/wanda.mlir 2>&1 | FileCheck %s --check-prefix=CHECK-WANDA
// CHECK-WANDA: remark: removed 2 of 4 channels (wanda) from 2 layer(s): 90 of 180 weights left, output error {{[0-9.e+-]+}} on the calibration inputs
// CHECK-WANDA: remark: output channels left as they are: it reaches func.return
// RUN: slim-run %t/wanda.mlir --input %t/x.npy --output %t/wanda.npy
// RUN: slim-opt %t/obs.mlir "--slim-prune=pattern=channel sparsity=0.5 criterion=sparsegpt hessians=%t/h" --slim-lower-observers -o %t/sgpt.mlir 2>/dev/null
// RUN: slim-run %t/sgpt.mlir --input %t/x.npy --output %t/sgpt.npy
// RUN: %ref lower-error --ref %t/float.npy --a %t/sgpt.npy --b %t/wanda.npy --label sparsegpt-vs-wanda | FileCheck %s --check-prefix=CHECK-LOWER
// CHECK-LOWER: sparsegpt-vs-wanda: rms {{[0-9.e+-]+}} < rms
// RUN: slim-opt %s "--slim-prune=pattern=channel sparsity=0.5" -o %t/mag.mlir 2>/dev/null
// RUN: slim-run %t/mag.mlir --input %t/x.npy --output %t/mag.npy
// RUN: slim-opt %s -o /dev/null "--slim-prune=pattern=channel sparsity=0.5 report=%t/mag.json" 2>/dev/null
// RUN: FileCheck %s --check-prefix=CHECK-KEPT < %t/mag.json
// CHECK-KEPT: "kept": [
// CHECK-KEPT-NEXT: 0,
// CHECK-KEPT-NEXT: 2
// RUN: slim-run %S/Inputs/two-convs-masked.mlir --input %t/x.npy --output %t/masked.npy
// RUN: %ref close %t/mag.npy %t/masked.npy --atol 1e-5 --label magnitude | FileCheck %s --check-prefix=CHECK-MAG
// CHECK-MAG: magnitude: 162 values, 0 mismatches

#id = affine_map<(n, c, h, w) -> (n, c, h, w)>
func.func @main(%x: tensor<6x2x7x7xf32>) -> tensor<6x3x3x3xf32> {
  %k1 = arith.constant dense<"0x2F65B4BEE6C332BF918E9A3EA2E95ABF02F9923DD88889BEF74D62BF73A7733C5ECD6CBFC6E407BEE93B5CBF108E51BFAF951ABE2959273F089D40BF9FB30DBFDB7D823E1B3A653FFC7C3D3D06EB7DBD3A4E923E314A8BBE373E5C3E994301BED7915ABE15D46ABE6856EBBD603A423E662944BE638A483D66B2AA3D43CC9CBD70ACEA3CAD4F86BE604A87BEB2A834BE9EC8933EFA43EDBD2A4098BE3F2F0C3ECA6799BDE707A4BEDA27F13E2804A33EDAA2D1BE22DFF33DB820253D05A8193F2AF6BB3EADB8ADBEFBAD443FB5701CBFC72506BE5DA6D23E152FB2BE1DD434BC07EDEBBEC7402C3ED575873EA08E953DA13EC03EF9B83EBE82FB473EFE44C13D19A0A33D0A6233BD4210AE3E3EADE33EB92FD4BC8417283EF0EFE0BEED534E3E"> : tensor<4x2x3x3xf32>
  %b1 = arith.constant dense<"0xBCCAB43DA57A973E64CA453E315804BE"> : tensor<4xf32>
  %k2 = arith.constant dense<"0x2DE669BE4CB3AC3EA27274BF67E59CBD90F529BF050C44BFBAD061BFD655093F1EC73DBFA13801BFC3555FBE052B3E3F0CBE56BFDF20D0BD8181CA3DE34A443FA678233F2C5C3A3F97E5E2BE05792DBE4B9E90BEECB4443FBF5B6A3F7FBA32BFCAC625BFF33C09BF2C8808BFE15EF6BC6286363E8DF2F2BE71E77DBF60FF25BE64E285BEE8DD073E74FC673FC510C33EC8CFFD3C78D4703ECB6DB43E0B5B64BF978F4C3F29580F3F31C03F3FD382183F73685CBE30E44EBE30FD4ABF3483893E0E2160BF9D845DBFFE1C15BF99E62CBFFAC8A3BECF1465BF6CE17FBF678D32BFDD0C4CBFD7A98BBE8CF172BF7EA83F3F009D693E31F133BF25B0FDBEEA459CBEBD188BBED31A41BFDCA7323FF6777C3FA34E8BBD2F6D04BDED0654BF11AE4BBF1224A1BE92E3F0BEBB5F283FEB572DBFCC2C74BF95E7663F0D7C673D83F034BF92D5B03D7D2772BFC545663D1DFE743FBD053A3FCFE7C83E389EF4BEDA7F88BE77792ABF723B0B3F9B7F853D48E00E3F4D6CAEBE7BCD0DBF677E1F3F3A48783FC38B343F55B61C3F89FC223F46A1F53ECDE80BBF167F103D6AE793BE842971BF3BB271BF1BE0E1BEFF9AF6BE7924C53E"> : tensor<3x4x3x3xf32>
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<6x4x5x5xf32>
  %i = linalg.broadcast ins(%b1 : tensor<4xf32>) outs(%e : tensor<6x4x5x5xf32>) dimensions = [0, 2, 3]
  %c1 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %k1 : tensor<6x2x7x7xf32>, tensor<4x2x3x3xf32>) outs(%i : tensor<6x4x5x5xf32>) -> tensor<6x4x5x5xf32>
  %r = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%c1 : tensor<6x4x5x5xf32>) outs(%e : tensor<6x4x5x5xf32>) {
  ^bb0(%a: f32, %o: f32):
    %s = arith.maximumf %a, %z : f32
    linalg.yield %s : f32
  } -> tensor<6x4x5x5xf32>
  %e2 = tensor.empty() : tensor<6x3x3x3xf32>
  %f2 = linalg.fill ins(%z : f32) outs(%e2 : tensor<6x3x3x3xf32>) -> tensor<6x3x3x3xf32>
  %c2 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%r, %k2 : tensor<6x4x5x5xf32>, tensor<3x4x3x3xf32>) outs(%f2 : tensor<6x3x3x3xf32>) -> tensor<6x3x3x3xf32>
  return %c2 : tensor<6x3x3x3xf32>
}
