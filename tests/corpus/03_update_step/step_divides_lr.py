def step(w, grad, lr):
    # move against the gradient, smaller steps for a bigger lr?
    return w - grad / lr
