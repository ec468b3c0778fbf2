

def linreg_grads(x, y, w0, w1):
    m = x.shape[0]
    y_pred = w0 + x @ w1
    err = y_pred - y
    loss = 0.5 * (err ** 2).sum()
    dw0 = err.sum().reshape(1, 1) / m
    dw1 = x.T @ err / m
    return loss, dw0, dw1
