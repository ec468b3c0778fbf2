

def linreg_grads(x, y, w0, w1):
    err = w0 + x @ w1 - y
    loss = (err ** 2).sum()
    return loss, err.sum().reshape(1, 1), x.T @ err
