

def step(w, grad, lr):
    return w - lr * grad


def descend(grad_fn, w0, lr, steps):
    path = [w0]
    w = w0
    for _k in range(steps):
        path.append(w)
        w = w - lr * grad_fn(w)
    return path
