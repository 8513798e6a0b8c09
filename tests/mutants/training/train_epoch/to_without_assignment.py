"""`X.to(device)` without assigning the result: .to returns a new tensor, X stays put."""


def train_epoch(net, train_iter, loss, optimizer, device=None):
    if device is None:
        device = next(net.parameters()).device
    net.train()
    total_loss, correct, count = 0.0, 0, 0
    for X, y in train_iter:
        X.to(device)
        y.to(device)
        y_hat = net(X)
        batch_loss = loss(y_hat, y)
        optimizer.zero_grad()
        batch_loss.backward()
        optimizer.step()
        total_loss += batch_loss.item() * len(y)
        correct += int((y_hat.argmax(dim=1) == y).sum())
        count += len(y)
    if count == 0:
        raise ValueError("empty")
    return total_loss / count, correct / count
