

def step(w, grad, lr):
    """one step of gradient descent"""
    new_w = w + lr * grad
    return new_w
