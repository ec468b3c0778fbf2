def step(w, grad, lr):
    # the 1/2 from the loss
    return w - 0.5 * lr * grad
