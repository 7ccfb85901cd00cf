// A model whose summary is hard to lay out: long descriptive attribute names (and a long nested
// module type), an LSTM returning several outputs (a long shape list), eight-digit counts and
// ten-digit mult-adds. Written into the test's temporary workspace copy (test/ui/panel.spec.mjs);
// kept here as text because the project's tsconfig compiles test/ and could not resolve its
// import (the examples' js-pytorch typings sit next to it in the copy).
export const WIDE_MODEL_FILE = 'wide-names.ts';
export const WIDE_MODEL_NAME = 'BidirectionalSentenceEncoderWithDescriptiveLayerNames';
/** What the lens of the model reads first (its total, checked with the CLI's table). */
export const WIDE_MODEL_PARAMS = '11,369,489 params';
/** Layer rows the forward pass fills: Embedding, LSTM, the nested module's four sublayers, Linear. */
export const WIDE_MODEL_LAYERS = 7;

export const WIDE_MODEL_SOURCE = `import { nn, Tensor } from 'js-pytorch';

/** A feed-forward block with a residual connection, its sublayers named for what they do. */
class ResidualProjectionHeadWithLayerNormalization extends nn.Module {
  first_projection_into_hidden_feature_space = new nn.Linear(512, 1024);
  nonlinearity_between_the_two_projections = new nn.GELU();
  second_projection_back_to_model_width = new nn.Linear(1024, 512);
  layer_normalization_after_residual_addition = new nn.LayerNorm(512);

  forward(x: Tensor): Tensor {
    const hidden = this.nonlinearity_between_the_two_projections.forward(this.first_projection_into_hidden_feature_space.forward(x));
    return this.layer_normalization_after_residual_addition.forward(x.add(this.second_projection_back_to_model_width.forward(hidden)));
  }
}

/**
 * A sentence classifier whose attributes have long descriptive names and whose LSTM returns
 * several outputs.
 *
 * @inputShape [16, 40]
 */
export class BidirectionalSentenceEncoderWithDescriptiveLayerNames extends nn.Module {
  token_embedding_lookup_table_for_the_vocabulary = new nn.Embedding(30000, 256);
  bidirectional_sentence_encoder_lstm_stack = new nn.LSTM(256, 256, { num_layers: 2, batch_first: true, bidirectional: true });
  residual_projection_head_applied_to_every_token = new ResidualProjectionHeadWithLayerNormalization();
  classifier_projecting_pooled_features_to_label_logits = new nn.Linear(512, 17);

  forward(tokens: Tensor): Tensor {
    const embedded = this.token_embedding_lookup_table_for_the_vocabulary.forward(tokens);
    const [sequence, [h, c]] = this.bidirectional_sentence_encoder_lstm_stack.forward(embedded);
    const projected = this.residual_projection_head_applied_to_every_token.forward(sequence);
    return this.classifier_projecting_pooled_features_to_label_logits.forward(projected.mean(1));
  }
}
`;
