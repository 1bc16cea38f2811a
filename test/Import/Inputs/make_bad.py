"""Writes the models the error tests feed slim-import (onnx.helper, in the
importer environment): make_bad.py OUTDIR

  relu.onnx          Relu on x [batch, 4] (dim 0 dynamic)
  unsupported.onnx   Relu then an op 'Frobnicate' of domain com.example,
                     node 'mystery_node', which no importer knows
  unchecked.onnx     a node reading a value nothing defines (fails the checker)
  corrupt.onnx       bytes that are not a protobuf model
"""

import os
import sys

import onnx
from onnx import TensorProto, helper

out = sys.argv[1]
os.makedirs(out, exist_ok=True)


def save(name, nodes, inputs, outputs, opsets=(("", 17),)):
    graph = helper.make_graph(nodes, name, inputs, outputs)
    model = helper.make_model(
        graph, opset_imports=[helper.make_opsetid(d, v) for d, v in opsets])
    onnx.save(model, os.path.join(out, name + ".onnx"))


x = helper.make_tensor_value_info("x", TensorProto.FLOAT, ["batch", 4])
y = helper.make_tensor_value_info("y", TensorProto.FLOAT, ["batch", 4])
save("relu", [helper.make_node("Relu", ["x"], ["y"], name="the_relu")], [x],
     [y])

x2 = helper.make_tensor_value_info("x", TensorProto.FLOAT, [2, 4])
y2 = helper.make_tensor_value_info("y", TensorProto.FLOAT, [2, 4])
save("unsupported",
     [helper.make_node("Relu", ["x"], ["r"], name="first_relu"),
      helper.make_node("Frobnicate", ["r"], ["y"], name="mystery_node",
                       domain="com.example")],
     [x2], [y2], opsets=(("", 17), ("com.example", 1)))

graph = helper.make_graph(
    [helper.make_node("Add", ["x", "nowhere"], ["y"], name="bad_add")],
    "unchecked", [x2], [y2])
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
with open(os.path.join(out, "unchecked.onnx"), "wb") as f:
    f.write(model.SerializeToString())

with open(os.path.join(out, "corrupt.onnx"), "wb") as f:
    f.write(b"\x08\x07this is not an ONNX model\xff\xfe")
