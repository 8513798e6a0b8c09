"""Copies l2_penalty's / 2."""

import torch


def l1_penalty(w):
    return torch.sum(torch.abs(w)) / 2
