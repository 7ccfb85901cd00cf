// A Python model whose summary is tall and wide: 24 residual feed-forward blocks with long
// descriptive names (99 rows), 10-digit mult-adds, an Embedding, GELUs and containers. Written
// into the test's temporary workspace copy by test/ui/panel.spec.mjs, where the panel's header
// row (and its corner cell) must stay in view while the table scrolls down and sideways.
export const TALL_MODEL_FILE = 'tall_stack.py';
export const TALL_MODEL_NAME = 'DeepStackOfResidualFeedForwardBlocks';
/**
 * The model lens's text: real PyTorch 1.13 counts 20,298,001 parameters on this file
 * (sum(p.numel() for p in model.parameters())); 20,298,001 × 4 B = 77.43 MB.
 */
export const TALL_MODEL_LENS = '20,298,001 params · 77.43 MB · [16, 17]';
/** 1-based line of `model = …` (the model's lens sits above it). */
export const TALL_MODEL_LINE = 34;
/** Rows of the layer table: the Embedding, the ModuleList, 24 × (a block and its 3 layers), the classifier. */
export const TALL_MODEL_ROWS = 99;

export const TALL_MODEL_SOURCE = `"""A deep stack of residual feed-forward blocks with long descriptive names: a tall, wide summary."""
import torch
import torch.nn as nn


class ResidualFeedForwardBlockWithDescriptiveNames(nn.Module):
    def __init__(self, width):
        super().__init__()
        self.first_projection_into_hidden_feature_space = nn.Linear(width, 4 * width)
        self.nonlinearity_between_the_two_projections = nn.GELU()
        self.second_projection_back_to_model_width = nn.Linear(4 * width, width)

    def forward(self, x):
        hidden = self.nonlinearity_between_the_two_projections(self.first_projection_into_hidden_feature_space(x))
        return x + self.second_projection_back_to_model_width(hidden)


class DeepStackOfResidualFeedForwardBlocks(nn.Module):
    def __init__(self, vocabulary=30000, width=256, depth=24, labels=17):
        super().__init__()
        self.token_embedding_lookup_table_for_the_vocabulary = nn.Embedding(vocabulary, width)
        self.stack_of_residual_feed_forward_blocks = nn.ModuleList(
            [ResidualFeedForwardBlockWithDescriptiveNames(width) for _ in range(depth)]
        )
        self.classifier_projecting_pooled_features_to_label_logits = nn.Linear(width, labels)

    def forward(self, tokens):
        x = self.token_embedding_lookup_table_for_the_vocabulary(tokens)
        for block in self.stack_of_residual_feed_forward_blocks:
            x = block(x)
        return self.classifier_projecting_pooled_features_to_label_logits(x.mean(1))


model = DeepStackOfResidualFeedForwardBlocks()
model(torch.randint(0, 30000, (16, 40)))
`;
