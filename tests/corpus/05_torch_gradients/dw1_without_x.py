

def linreg_grads(x, y, w0, w1):
    residual = w0 + x @ w1 - y
    loss = 0.5 * (residual ** 2).sum()
    g = residual.sum().reshape(1, 1)
    return loss, g, g.clone()
