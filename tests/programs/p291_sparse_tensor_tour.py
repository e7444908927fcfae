# The sparse tensor API that programs reach for, printed: COO construction (with duplicate
# indices), coalesce, indices/values, to_dense, arithmetic, transpose, sums, softmax, CSR,
# dense -> sparse, products with dense matrices and the errors torch raises.
import pickle
import warnings

import torch

warnings.filterwarnings("ignore")

i = torch.tensor([[0, 1, 1, 2, 0], [2, 0, 2, 1, 2]])
v = torch.tensor([3.0, 4.0, 5.0, 6.0, 1.0])
s = torch.sparse_coo_tensor(i, v, (3, 3))
print(s)
print(type(s), isinstance(s, torch.Tensor), s.layout, s.is_sparse, s.is_coalesced())
print(s.shape, s.dim(), s._nnz(), s.sparse_dim(), s.dense_dim(), s.dtype, s.device)
c = s.coalesce()
print(c)
print(c.indices(), c.values(), c.is_coalesced())
print(s.to_dense())
print(s * 2)
print(s + s)
print(c + c)
print(c - 0.5 * c)
print(s.t())
print(torch.sparse.sum(s), torch.sparse.sum(s, dim=0))
print(torch.sparse.softmax(s, dim=1))
print(torch.sparse.log_softmax(c, dim=0).to_dense())
print(c.sqrt())

csr = c.to_sparse_csr()
print(csr)
print(csr.crow_indices(), csr.col_indices(), csr.values())
print(csr.to_dense())
csr2 = torch.sparse_csr_tensor(torch.tensor([0, 2, 3, 3]), torch.tensor([0, 2, 1]),
                               torch.tensor([1.0, -2.0, 0.5]), size=(3, 4))
print(csr2)

d = torch.arange(6.0).reshape(3, 2)
print(torch.sparse.mm(s, d))
print(torch.spmm(s, d))
print(s @ d, s @ torch.ones(3))
print(csr @ d)
print(torch.sparse.addmm(torch.ones(3, 2), s, d, beta=0.5, alpha=2.0))
print(torch.ones(3, 3) + s)
print(torch.ones(2, 3) @ s)

x = torch.tensor([[0.0, 1.5, 0.0], [2.0, 0.0, -1.0]])
print(x.to_sparse())
print(x.to_sparse(1))
print(x.to_sparse_csr())
print(x.sparse_mask(torch.tensor([[1.0, 0, 0], [0, 0, 1]]).to_sparse()))

hybrid = torch.sparse_coo_tensor(torch.tensor([[0, 2]]), torch.tensor([[1.0, 2.0], [3.0, 4.0]]))
print(hybrid, hybrid.to_dense())

legacy = torch.sparse.FloatTensor(i, v, torch.Size([3, 3]))
print(legacy.dtype, legacy.layout, legacy.to_dense().sum())
back = pickle.loads(pickle.dumps(c))
print(back.layout, torch.equal(back.to_dense(), c.to_dense()))

for name, fn in [("exp", lambda: torch.exp(s)), ("values", lambda: s.values()),
                 ("add", lambda: s + torch.ones(3, 3)), ("numpy", lambda: s.numpy()),
                 ("mm", lambda: torch.sparse.mm(s, torch.ones(2, 2)))]:
    try:
        fn()
    except (RuntimeError, NotImplementedError, TypeError) as e:
        print(name, type(e).__name__, str(e).split(". ")[0])
