//===- SlimDialect.td - Slim dialect definition ------------*- tablegen -*-===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//

#ifndef SLIM_DIALECT_SLIM_IR_SLIMDIALECT_TD
#define SLIM_DIALECT_SLIM_IR_SLIMDIALECT_TD

include "mlir/IR/OpBase.td"

def Slim_Dialect : Dialect {
  let name = "slim";
  let cppNamespace = "::mlir::slim";
  let summary = "Quantization and model-compression operations";
  let description = [{
    The `slim` dialect holds the operations that model compression needs and
    that upstream MLIR lacks: quantize, dequantize, requantize and fake-quant
    with exactly specified rounding and saturation. Quantization parameters
    are carried by MLIR's own `!quant.uniform` types (per-tensor, per-axis and
    sub-channel/block); Slim adds operations, not a parallel type system.

    Every operation states its arithmetic in its description, and
    `slim-lower-quant` lowers it to `linalg`/`arith` on the storage integer
    types bit-exactly with that statement.

    Conventions shared by all operations:
    * `S` is a scale and `Z` a zero point from the quantized type; `S` is used
      as the float32 value nearest to the type's (double) scale.
    * `qmin`/`qmax` are the storage bounds of the quantized type (for example
      `[-128, 127]` for `i8`, `[-127, 127]` for the narrow `i8<-127:127>`,
      `[0, 15]` for `u4`). Results always saturate to them.
    * Only ranked tensors are accepted; a quantized type with an axis or
      blocks is checked against the tensor's shape.
  }];
  let dependentDialects = ["::mlir::quant::QuantDialect"];
  let useDefaultAttributePrinterParser = 1;
  let hasConstantMaterializer = 1;
}

#endif // SLIM_DIALECT_SLIM_IR_SLIMDIALECT_TD
