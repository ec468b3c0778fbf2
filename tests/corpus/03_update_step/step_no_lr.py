def step(w, grad, lr):
    return w - grad
