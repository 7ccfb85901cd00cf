"""A bag-of-embeddings recommender tower: user and item embeddings, concatenated, an MLP on top."""
import torch
import torch.nn as nn
from collections import OrderedDict


class TwoTower(nn.Module):
    def __init__(self, n_users=1000, n_items=2000, dim=32, hidden=(64, 32)):
        super().__init__()
        self.users = nn.Embedding(n_users, dim)
        self.items = nn.Embedding(n_items, dim)
        layers = OrderedDict()
        width = 2 * dim
        for i, h in enumerate(hidden):
            layers[f"fc{i}"] = nn.Linear(width, h)
            layers[f"act{i}"] = nn.ReLU()
            width = h
        self.mlp = nn.Sequential(layers)
        self.out = nn.Linear(width, 1)

    def forward(self, ids):
        u = self.users(ids[:, 0])
        v = self.items(ids[:, 1])
        x = torch.cat([u, v], dim=-1)
        return self.out(self.mlp(x))


model = TwoTower()
ids = torch.randint(0, 1000, (32, 2))
scores = model(ids)
