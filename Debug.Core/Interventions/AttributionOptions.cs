namespace Debug.Core.Interventions;

/// <summary>Knobs of an <see cref="AttributionSweep"/>.</summary>
/// <param name="InterpolationSteps">
/// 1 (the default): plain attribution patching, the gradient taken at the clean run (Nanda 2023). K &gt; 1: the
/// gradient is averaged over K runs whose token embeddings are interpolated from the clean prompt's towards the
/// counterfactual's, at fractions 0, 1/K, ..., (K-1)/K (a left Riemann sum of integrated gradients along that path,
/// as EAP-IG does). This softens the first-order method's known failure where an attention softmax or a norm
/// saturates between the two runs, at K forwards and backwards instead of one.
/// </param>
public sealed record AttributionOptions(int InterpolationSteps = 1);
