

def linreg_grads(x, y, w0, w1):
    y_pred = w0 + x @ w1
    loss = ((y_pred - y) ** 2).sum()
    dw0 = (2 * (y_pred - y)).sum().reshape(w0.shape)
    dw1 = 2 * x.T @ (y_pred - y)
    return loss, dw0, dw1
