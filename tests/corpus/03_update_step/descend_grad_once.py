

def step(w, grad, lr):
    return w - lr * grad


def descend(grad_fn, w0, lr, steps):
    g = grad_fn(w0)
    w = w0
    result = [w0]
    for _ in range(steps):
        w = step(w, g, lr)
        result.append(w)
    return result
