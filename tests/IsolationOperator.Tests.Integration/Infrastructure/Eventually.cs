namespace IsolationOperator.Tests.Integration.Infrastructure;

/// <summary>Polling for asynchronous cluster behaviour (controllers, informers): no fixed sleeps.</summary>
public static class Eventually
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Polls until <paramref name="probe"/> returns a non-null value; throws a TimeoutException naming <paramref name="what"/>.</summary>
    public static async Task<T> GetAsync<T>(string what, Func<Task<T?>> probe, TimeSpan? timeout = null)
        where T : class
    {
        var deadline = DateTime.UtcNow + (timeout ?? DefaultTimeout);
        Exception? last = null;
        while (true)
        {
            try
            {
                if (await probe() is { } value)
                {
                    return value;
                }
            }
            catch (Exception e)
            {
                last = e;
            }

            if (DateTime.UtcNow >= deadline)
            {
                throw new TimeoutException($"timed out waiting for {what}", last);
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200));
        }
    }

    public static async Task HoldsAsync(string what, Func<Task<bool>> condition, TimeSpan? timeout = null) =>
        await GetAsync(what, async () => await condition() ? (object)true : null, timeout);
}
