

def linreg_grads(x, y, w0, w1):
    y_pred = w0 + x @ w1
    err = y_pred - y
    loss = 0.5 * (err ** 2).sum()
    dw0 = 2 * err.sum().reshape(1, 1)
    dw1 = 2 * (x.T @ err)
    return loss, dw0, dw1
