

def step(w, grad, lr):
    w -= lr * grad
    return w
