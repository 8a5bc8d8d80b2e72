#!/usr/bin/python3
"""Writes the ONNX test models of the import tests (tests/onnx/*.onnx) from MLPs trained here on Fashion-MNIST.

Each file is a graph the way one exporter writes it, so the importer meets their real habits:
  torch-mlp-opset9.onnx    PyTorch's exporter at opset 9: x.reshape(x.shape[0], -1) (Shape, Gather,
                           Unsqueeze, Concat, Reshape), Gemm, LogSoftmax; trained on inputs normalised as
                           torchvision's Normalize((0.2860,), (0.3530,)) does, after ToTensor
  torch-mlp-opset17.onnx   PyTorch's exporter at opset 17: nn.Flatten, Gemm, Dropout (gone in eval), Softmax;
                           784-64-32-10 on ToTensor's pixels / 255; the end-to-end test's model
  keras-mlp-opset13.onnx   the MatMul + Add form tf2onnx writes for Keras Dense layers: a Reshape to a constant
                           [-1, 784], weights [inputs x outputs] in typed float_data fields, Softmax, Identity
  gemm-attributes-opset11.onnx  Gemm with transB = 0, alpha and beta, a [1 x n] bias, a Constant shape node

Run with Debian's python3-torch and python3-onnx: /usr/bin/python3 tests/onnx/make-models.py
Deterministic for the seeds below on one machine; the tests compare against OnnxRuntime, not stored outputs.
"""
import gzip
import os
import struct

import numpy as np
import onnx
import torch
from onnx import TensorProto, helper, numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = "/usr/share/datasets/fashion-mnist"


def idx(name):
    with gzip.open(os.path.join(DATA, name)) as f:
        raw = f.read()
    dims = raw[3]
    shape = struct.unpack(">" + "I" * dims, raw[4:4 + 4 * dims])
    return np.frombuffer(raw, np.uint8, offset=4 + 4 * dims).reshape(shape)


def train(model, images, labels, epochs, seed):
    torch.manual_seed(seed)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    x = torch.tensor(images, dtype=torch.float32)
    y = torch.tensor(labels, dtype=torch.int64)
    model.train()
    for _ in range(epochs):
        order = torch.randperm(len(x))
        for start in range(0, len(x), 128):
            batch = order[start:start + 128]
            optimizer.zero_grad()
            loss = torch.nn.functional.cross_entropy(model.logits(x[batch]), y[batch])
            loss.backward()
            optimizer.step()
    model.eval()
    return model


class ReshapeNet(torch.nn.Module):
    """x.reshape(x.shape[0], -1): the exporter writes the batch size's shape arithmetic."""

    def __init__(self, hidden):
        super().__init__()
        self.fc1 = torch.nn.Linear(784, hidden)
        self.fc2 = torch.nn.Linear(hidden, 10)

    def logits(self, x):
        x = x.reshape(x.shape[0], -1)
        return self.fc2(torch.relu(self.fc1(x)))

    def forward(self, x):
        return torch.log_softmax(self.logits(x), dim=1)


class SequentialNet(torch.nn.Module):
    def __init__(self, sizes):
        super().__init__()
        layers = [torch.nn.Flatten()]
        for i in range(len(sizes) - 1):
            layers.append(torch.nn.Linear(sizes[i], sizes[i + 1]))
            if i < len(sizes) - 2:
                layers += [torch.nn.ReLU(), torch.nn.Dropout(0.1)]
        self.body = torch.nn.Sequential(*layers)

    def logits(self, x):
        return self.body(x)

    def forward(self, x):
        return torch.softmax(self.body(x), dim=1)


def export(model, path, opset):
    dummy = torch.zeros(1, 1, 28, 28)
    torch.onnx.export(model, dummy, path, opset_version=opset, input_names=["input"], output_names=["output"],
                      dynamic_axes={"input": {0: "batch"}, "output": {0: "batch"}})
    print(f"{os.path.basename(path)}: {os.path.getsize(path):,} bytes, ops {[n.op_type for n in onnx.load(path).graph.node]}")


def dense_layers(sizes, images, labels, epochs, seed):
    torch.manual_seed(seed)
    net = train(SequentialNet(sizes), images, labels, epochs, seed)
    linears = [m for m in net.body if isinstance(m, torch.nn.Linear)]
    return [(m.weight.detach().numpy().copy(), m.bias.detach().numpy().copy()) for m in linears]


def typed(name, array):
    """An initializer in the typed fields (float_data, int64_data) instead of raw_data."""
    array = np.asarray(array)
    kind = TensorProto.FLOAT if array.dtype == np.float32 else TensorProto.INT64
    return helper.make_tensor(name, kind, array.shape, array.flatten().tolist(), raw=False)


def keras_graph(layers, path):
    nodes = [helper.make_node("Reshape", ["flatten_input", "sequential/flatten/Const:0"], ["sequential/flatten/Reshape:0"], name="sequential/flatten/Reshape")]
    inits = [typed("sequential/flatten/Const:0", np.array([-1, 784], np.int64))]
    x = "sequential/flatten/Reshape:0"
    for i, (w, b) in enumerate(layers):
        scope = f"sequential/dense_{i}"
        inits += [typed(f"{scope}/MatMul/ReadVariableOp:0", w.T.astype(np.float32)), typed(f"{scope}/BiasAdd/ReadVariableOp:0", b.astype(np.float32))]
        nodes.append(helper.make_node("MatMul", [x, f"{scope}/MatMul/ReadVariableOp:0"], [f"{scope}/MatMul:0"], name=f"{scope}/MatMul"))
        nodes.append(helper.make_node("Add", [f"{scope}/MatMul:0", f"{scope}/BiasAdd/ReadVariableOp:0"], [f"{scope}/BiasAdd:0"], name=f"{scope}/BiasAdd"))
        x = f"{scope}/BiasAdd:0"
        if i < len(layers) - 1:
            nodes.append(helper.make_node("Relu", [x], [f"{scope}/Relu:0"], name=f"{scope}/Relu"))
            x = f"{scope}/Relu:0"
    nodes.append(helper.make_node("Softmax", [x], ["sequential/softmax/Softmax:0"], name="sequential/softmax/Softmax", axis=1))
    nodes.append(helper.make_node("Identity", ["sequential/softmax/Softmax:0"], ["dense_out"], name="Identity"))
    graph = helper.make_graph(nodes, "sequential", [helper.make_tensor_value_info("flatten_input", TensorProto.FLOAT, ["unk__6", 28, 28])],
                              [helper.make_tensor_value_info("dense_out", TensorProto.FLOAT, ["unk__7", 10])], inits)
    model = helper.make_model(graph, producer_name="tf2onnx", opset_imports=[helper.make_opsetid("", 13)])
    onnx.checker.check_model(model)
    onnx.save(model, path)
    print(f"{os.path.basename(path)}: {os.path.getsize(path):,} bytes")


def gemm_graph(layers, path):
    """Gemm(x, W^T stored [inputs x outputs], transB=0) with alpha 0.5 on doubled weights and beta 2 on halved biases."""
    shape = helper.make_node("Constant", [], ["shape"], name="shape_constant", value=numpy_helper.from_array(np.array([-1, 784], np.int64)))
    nodes = [shape, helper.make_node("Reshape", ["image", "shape"], ["flat"], name="flatten"), helper.make_node("Identity", ["flat"], ["x0"], name="keep")]
    inits = []
    x = "x0"
    for i, (w, b) in enumerate(layers):
        inits += [numpy_helper.from_array((2 * w.T).astype(np.float32), f"W{i}"), numpy_helper.from_array((b / 2).astype(np.float32).reshape(1, -1), f"B{i}")]
        nodes.append(helper.make_node("Gemm", [x, f"W{i}", f"B{i}"], [f"y{i}"], name=f"gemm{i}", alpha=0.5, beta=2.0, transA=0, transB=0))
        x = f"y{i}"
        if i < len(layers) - 1:
            nodes.append(helper.make_node("Relu", [x], [f"r{i}"], name=f"relu{i}"))
            x = f"r{i}"
    graph = helper.make_graph(nodes, "gemm_attributes", [helper.make_tensor_value_info("image", TensorProto.FLOAT, ["n", 1, 28, 28])],
                              [helper.make_tensor_value_info(x, TensorProto.FLOAT, ["n", 10])], inits)
    model = helper.make_model(graph, producer_name="make-models.py", opset_imports=[helper.make_opsetid("", 11)])
    onnx.checker.check_model(model)
    onnx.save(model, path)
    print(f"{os.path.basename(path)}: {os.path.getsize(path):,} bytes")


def main():
    torch.set_num_threads(2)
    pixels = idx("train-images-idx3-ubyte.gz").astype(np.float32).reshape(-1, 1, 28, 28)
    labels = idx("train-labels-idx1-ubyte.gz").astype(np.int64)
    to_tensor = pixels / 255
    normalized = (to_tensor - 0.2860) / 0.3530

    torch.manual_seed(9)
    export(train(ReshapeNet(24), normalized, labels, 4, 9), os.path.join(HERE, "torch-mlp-opset9.onnx"), 9)
    torch.manual_seed(17)
    export(train(SequentialNet([784, 64, 32, 10]), to_tensor, labels, 12, 17), os.path.join(HERE, "torch-mlp-opset17.onnx"), 17)
    keras_graph(dense_layers([784, 24, 10], to_tensor, labels, 4, 13), os.path.join(HERE, "keras-mlp-opset13.onnx"))
    gemm_graph(dense_layers([784, 16, 10], to_tensor, labels, 3, 11), os.path.join(HERE, "gemm-attributes-opset11.onnx"))


if __name__ == "__main__":
    main()
