using System.ClientModel.Primitives;
using System.Globalization;

namespace Debug.Core.Experiments.Endpoints;

/// <summary>
/// The OpenAI client's retry policy (it retries 408, 429, 5xx and network failures) with Debug's delays: exponential
/// from <see cref="EndpointOptions.RetryBaseDelay"/>, or the server's Retry-After, capped at
/// <see cref="EndpointOptions.MaxRetryDelay"/>. No jitter, so a test's wait is known.
/// </summary>
internal sealed class BackoffRetryPolicy(EndpointOptions options) : ClientRetryPolicy(options.MaxRetries)
{
    protected override TimeSpan GetNextDelay(PipelineMessage message, int tryCount)
    {
        var delay = TimeSpan.FromTicks(options.RetryBaseDelay.Ticks * (1L << Math.Clamp(tryCount - 1, 0, 20)));
        if (message.Response?.Headers.TryGetValue("Retry-After", out string? retryAfter) == true
            && double.TryParse(retryAfter, NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds) && seconds >= 0)
            delay = TimeSpan.FromSeconds(seconds);
        return delay > options.MaxRetryDelay ? options.MaxRetryDelay : delay;
    }
}
