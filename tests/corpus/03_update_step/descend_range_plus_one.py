

def step(w, grad, lr):
    return w - lr * grad


def descend(grad_fn, w0, lr, steps):
    traj = [w0]
    w = w0
    for _ in range(steps + 1):
        w = step(w, grad_fn(w), lr)
        traj.append(w)
    return traj
