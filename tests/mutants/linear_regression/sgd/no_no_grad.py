"""Updates without torch.no_grad(): autograd refuses the in-place change of a leaf."""


def sgd(params, lr, batch_size):
    for param in params:
        if param.grad is None:
            continue
        param -= lr * param.grad / batch_size
        param.grad.zero_()
