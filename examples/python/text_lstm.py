"""A text classifier: embeddings, a two-layer bidirectional LSTM, the last step's features to a linear head."""
import torch
from torch import nn


class TextLSTM(nn.Module):
    def __init__(self, vocab_size=5000, embed_dim=64, hidden_size=128, num_layers=2, num_classes=4):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, embed_dim, padding_idx=0)
        self.lstm = nn.LSTM(embed_dim, hidden_size, num_layers=num_layers, batch_first=True, bidirectional=True)
        self.head = nn.Linear(2 * hidden_size, num_classes)

    def forward(self, tokens):
        x = self.embedding(tokens)
        out, (h, c) = self.lstm(x)
        last = out[:, -1, :]
        return self.head(last)


# @inputShape [16, 50]
class TaggedLSTM(TextLSTM):
    pass
