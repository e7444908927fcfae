# torch.testing, gradcheck and the checks people put in their unit tests.
import torch
from torch.autograd import gradcheck, gradgradcheck, Variable

a = torch.tensor([1.0, 2.0, 3.0])
torch.testing.assert_close(a, a.clone())
torch.testing.assert_close(a, a + 1e-7)
torch.testing.assert_close(torch.tensor(1.0, dtype=torch.float64), torch.tensor(1.0 + 1e-9, dtype=torch.float64))
torch.testing.assert_close([a, {"w": a}], [a.clone(), {"w": a.clone()}])
torch.testing.assert_close(torch.tensor([1, 2]), torch.tensor([1, 2]))
torch.testing.assert_close(torch.tensor([1.0]), torch.tensor([1.1]), rtol=0.2, atol=0.0)
torch.testing.assert_close(torch.tensor([float("nan")]), torch.tensor([float("nan")]), equal_nan=True)
torch.testing.assert_close(torch.tensor([1, 2]), torch.tensor([1.0, 2.0]), check_dtype=False)
print("close checks passed")


def expect_failure(fn):
    try:
        fn()
        print("no error")
    except AssertionError as e:
        print("AssertionError:", str(e))
    except (TypeError, ValueError) as e:
        print(type(e).__name__ + ":", e)


expect_failure(lambda: torch.testing.assert_close(a, a + 0.5))
expect_failure(lambda: torch.testing.assert_close(torch.tensor([[1.0, 2.0], [3.0, 4.0]]), torch.tensor([[1.0, 2.0], [3.0, 5.0]])))
expect_failure(lambda: torch.testing.assert_close(torch.tensor([1]), torch.tensor([2])))
expect_failure(lambda: torch.testing.assert_close(a, a.double()))
expect_failure(lambda: torch.testing.assert_close(a, a[:2]))
expect_failure(lambda: torch.testing.assert_close(torch.tensor(1.0), torch.tensor(2.0)))
expect_failure(lambda: torch.testing.assert_close(1.0, 1.1))
expect_failure(lambda: torch.testing.assert_close({"a": torch.tensor(1.)}, {"a": torch.tensor(2.)}))
expect_failure(lambda: torch.testing.assert_close(a, a + 1, msg="custom message"))
expect_failure(lambda: torch.testing.assert_close(a, a, rtol=1e-3))
expect_failure(lambda: torch.testing.assert_close(torch.tensor([float("nan")]), torch.tensor([float("nan")])))
x = Variable(torch.tensor([0.3, -0.8, 1.2], dtype=torch.double), requires_grad=True)
print(gradcheck(lambda t: (t.sin() * t.exp()).sum(), (x,), eps=1e-6, atol=1e-4))
print(gradgradcheck(lambda t: (t ** 3).sum(), (x,)))
print(gradcheck(torch.nn.functional.softplus, (x,)))
lin = torch.nn.Linear(3, 2).double()
print(gradcheck(lin, (torch.ones(4, 3, dtype=torch.double, requires_grad=True),)))
print(torch.allclose(torch.tensor([1.0, 2.0]), torch.tensor([1.0, 2.0 + 1e-9])), torch.equal(a, a.clone()),
      torch.isclose(torch.tensor([1.0, 2.0]), torch.tensor([1.0, 2.1])).tolist())
