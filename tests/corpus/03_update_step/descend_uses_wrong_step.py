def step(w, grad, lr):
    return w + lr * grad


def descend(grad_fn, w0, lr, steps):
    out = [w0]
    for _ in range(steps):
        out.append(step(out[-1], grad_fn(out[-1]), lr))
    return out
