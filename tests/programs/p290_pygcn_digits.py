# Kipf's pygcn (GraphConvolution with torch.spmm, a scipy COO adjacency turned into
# torch.sparse.FloatTensor by sparse_mx_to_torch_sparse_tensor), trained on a kNN graph of
# scikit-learn's 8x8 digits. Initial weights come from NumPy so both frameworks start equal.
import math

import numpy as np
import scipy.sparse as sp
import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.optim as optim
from sklearn.datasets import load_digits
from torch.nn.parameter import Parameter


def normalize(mx):
    """Row-normalize sparse matrix"""
    rowsum = np.array(mx.sum(1))
    r_inv = np.power(rowsum, -1).flatten()
    r_inv[np.isinf(r_inv)] = 0.
    r_mat_inv = sp.diags(r_inv)
    mx = r_mat_inv.dot(mx)
    return mx


def sparse_mx_to_torch_sparse_tensor(sparse_mx):
    """Convert a scipy sparse matrix to a torch sparse tensor."""
    sparse_mx = sparse_mx.tocoo().astype(np.float32)
    indices = torch.from_numpy(
        np.vstack((sparse_mx.row, sparse_mx.col)).astype(np.int64))
    values = torch.from_numpy(sparse_mx.data)
    shape = torch.Size(sparse_mx.shape)
    return torch.sparse.FloatTensor(indices, values, shape)


def accuracy(output, labels):
    preds = output.max(1)[1].type_as(labels)
    correct = preds.eq(labels).double()
    correct = correct.sum()
    return correct / len(labels)


class GraphConvolution(nn.Module):
    def __init__(self, in_features, out_features, bias=True):
        super(GraphConvolution, self).__init__()
        self.in_features = in_features
        self.out_features = out_features
        self.weight = Parameter(torch.FloatTensor(in_features, out_features))
        if bias:
            self.bias = Parameter(torch.FloatTensor(out_features))
        else:
            self.register_parameter('bias', None)
        self.reset_parameters()

    def reset_parameters(self):
        stdv = 1. / math.sqrt(self.weight.size(1))
        rng = np.random.default_rng(self.in_features)
        with torch.no_grad():
            self.weight.copy_(torch.from_numpy(
                rng.uniform(-stdv, stdv, tuple(self.weight.shape)).astype(np.float32)))
            if self.bias is not None:
                self.bias.copy_(torch.from_numpy(
                    rng.uniform(-stdv, stdv, tuple(self.bias.shape)).astype(np.float32)))

    def forward(self, input, adj):
        support = torch.mm(input, self.weight)
        output = torch.spmm(adj, support)
        if self.bias is not None:
            return output + self.bias
        else:
            return output

    def __repr__(self):
        return self.__class__.__name__ + ' (' \
               + str(self.in_features) + ' -> ' \
               + str(self.out_features) + ')'


class GCN(nn.Module):
    def __init__(self, nfeat, nhid, nclass, dropout):
        super(GCN, self).__init__()
        self.gc1 = GraphConvolution(nfeat, nhid)
        self.gc2 = GraphConvolution(nhid, nclass)
        self.dropout = dropout

    def forward(self, x, adj):
        x = F.relu(self.gc1(x, adj))
        x = F.dropout(x, self.dropout, training=False)
        x = self.gc2(x, adj)
        return F.log_softmax(x, dim=1)


# a symmetric 5-nearest-neighbour graph of 300 digits, with self loops
digits = load_digits()
X = (digits.data[:300] / 16.0).astype(np.float32)
y = digits.target[:300]
d2 = ((X[:, None, :] - X[None, :, :]) ** 2).sum(-1)
np.fill_diagonal(d2, np.inf)
nbrs = np.argsort(d2, axis=1, kind="stable")[:, :5]
rows = np.repeat(np.arange(len(X)), 5)
adj = sp.coo_matrix((np.ones(rows.size), (rows, nbrs.reshape(-1))), shape=(300, 300))
adj = adj + adj.T.multiply(adj.T > adj) - adj.multiply(adj.T > adj)
adj = normalize(adj + sp.eye(adj.shape[0]))
adj = sparse_mx_to_torch_sparse_tensor(adj)
features = torch.FloatTensor(normalize(sp.csr_matrix(X)).todense())
labels = torch.LongTensor(y)
idx_train = torch.LongTensor(range(60))
idx_val = torch.LongTensor(range(60, 150))
idx_test = torch.LongTensor(range(150, 300))

print(type(adj), adj.is_sparse, adj.layout, adj.shape, adj._nnz(), adj.dtype)
print(f"row sums {torch.sparse.sum(adj, 1).to_dense()[:4].numpy().round(4)}")

model = GCN(nfeat=features.shape[1], nhid=16, nclass=int(labels.max()) + 1, dropout=0.5)
print(model)
optimizer = optim.Adam(model.parameters(), lr=0.01, weight_decay=5e-4)

for epoch in range(60):
    model.train()
    optimizer.zero_grad()
    output = model(features, adj)
    loss_train = F.nll_loss(output[idx_train], labels[idx_train])
    acc_train = accuracy(output[idx_train], labels[idx_train])
    loss_train.backward()
    optimizer.step()
    if epoch % 10 == 9:
        model.eval()
        output = model(features, adj)
        loss_val = F.nll_loss(output[idx_val], labels[idx_val])
        acc_val = accuracy(output[idx_val], labels[idx_val])
        print('Epoch: {:04d}'.format(epoch + 1),
              'loss_train: {:.4f}'.format(loss_train.item()),
              'acc_train: {:.4f}'.format(acc_train.item()),
              'loss_val: {:.4f}'.format(loss_val.item()),
              'acc_val: {:.4f}'.format(acc_val.item()))

model.eval()
output = model(features, adj)
loss_test = F.nll_loss(output[idx_test], labels[idx_test])
acc_test = accuracy(output[idx_test], labels[idx_test])
print("Test set results:",
      "loss= {:.4f}".format(loss_test.item()),
      "accuracy= {:.4f}".format(acc_test.item()))
print("grad of gc1.weight is dense:", model.gc1.weight.grad.layout, model.gc1.weight.grad.shape)
