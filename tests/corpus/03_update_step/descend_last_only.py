

def step(w, grad, lr):
    return w - lr * grad


def descend(grad_fn, w0, lr, steps):
    w = w0
    for _ in range(steps):
        w = step(w, grad_fn(w), lr)
    return w
