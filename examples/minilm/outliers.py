"""Where MiniLM's activation outliers are (the importer environment, .venv):
the largest |x| of every LayerNorm output and of every FFN's GELU output,
by kind of position: [CLS], the words, [SEP] and padding, over the first N
evaluation sentences, read from ONNX Runtime with those tensors added as
graph outputs of OUT/minilm.onnx.

Usage: .venv/bin/python3 outliers.py OUT [--sentences 20]
"""

import argparse
import os

import numpy as np
import onnx
import onnxruntime as ort


def main():
    p = argparse.ArgumentParser()
    p.add_argument("dir")
    p.add_argument("--sentences", type=int, default=20)
    a = p.parse_args()
    model = onnx.load(os.path.join(a.dir, "minilm.onnx"))
    names = [n.output[0] for n in model.graph.node
             if n.op_type == "LayerNormalization"
             or n.name.endswith("intermediate/Mul_1")]
    for name in names:
        model.graph.output.append(onnx.helper.make_tensor_value_info(
            name, onnx.TensorProto.FLOAT, None))
    session = ort.InferenceSession(model.SerializeToString())
    ids = np.load(os.path.join(a.dir, "eval_ids.npy"))[:a.sentences]
    mask = np.load(os.path.join(a.dir, "eval_mask.npy"))[:a.sentences]
    largest = {n: np.zeros(4) for n in names}
    for i in range(len(ids)):
        outs = session.run(names, {"input_ids": ids[i:i + 1],
                                   "attention_mask": mask[i:i + 1]})
        length = int(mask[i].sum())
        for name, o in zip(names, outs):
            o = np.abs(o.reshape(-1, o.shape[-1]))
            parts = (o[0], o[1:length - 1], o[length - 1], o[length:])
            largest[name] = np.maximum(largest[name], [
                part.max() if part.size else 0.0 for part in parts])
    print("| tensor | [CLS] | words | [SEP] | padding |")
    print("|---|---|---|---|---|")
    for name in names:
        print("| %s | %.1f | %.1f | %.1f | %.1f |" % (
            name.replace("_output_0", ""), *largest[name]))


if __name__ == "__main__":
    main()
