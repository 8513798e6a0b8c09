"""Wrong averaging: the mean of the per-batch mean losses and accuracies, so a smaller last
batch counts as much as a full one."""


def train_epoch(net, train_iter, loss, optimizer, device=None):
    if device is None:
        device = next(net.parameters()).device
    net.train()
    losses, accuracies = [], []
    for X, y in train_iter:
        X, y = X.to(device), y.to(device)
        y_hat = net(X)
        batch_loss = loss(y_hat, y)
        optimizer.zero_grad()
        batch_loss.backward()
        optimizer.step()
        losses.append(batch_loss.item())
        accuracies.append((y_hat.argmax(dim=1) == y).float().mean().item())
    if not losses:
        raise ValueError("empty")
    return sum(losses) / len(losses), sum(accuracies) / len(accuracies)
