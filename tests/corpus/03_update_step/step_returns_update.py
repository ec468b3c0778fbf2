def step(w, grad, lr):
    update = -lr * grad
    return update
