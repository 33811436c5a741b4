using System.Net;
using NetLab.Auth.Server;

namespace NetLab.Auth.Tests.Server;

public class LoginThrottleTests
{
    private static readonly IPAddress s_address = IPAddress.Parse("192.0.2.1");
    private readonly ManualClock _clock = new();

    [Fact]
    public void Account_BlockedAfterLimit_UntilOldestFailureAgesOut()
    {
        var throttle = new LoginThrottle(3, 100, TimeSpan.FromMinutes(5), _clock);
        for (int i = 0; i < 3; i++)
        {
            Assert.Null(throttle.RetryAfter("a@lab.test", s_address));
            throttle.RecordFailure("a@lab.test", s_address);
            _clock.Advance(TimeSpan.FromMinutes(1));
        }

        Assert.Equal(TimeSpan.FromMinutes(2), throttle.RetryAfter("a@lab.test", s_address));
        Assert.Null(throttle.RetryAfter("b@lab.test", s_address));
        _clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Null(throttle.RetryAfter("a@lab.test", s_address));
    }

    [Fact]
    public void Address_BlockedAcrossAccounts()
    {
        var throttle = new LoginThrottle(100, 4, TimeSpan.FromMinutes(5), _clock);
        for (int i = 0; i < 4; i++)
        {
            throttle.RecordFailure($"user{i}@lab.test", s_address);
        }

        Assert.NotNull(throttle.RetryAfter("fresh@lab.test", s_address));
        Assert.NotNull(throttle.RetryAfter("fresh@lab.test", IPAddress.Parse("192.0.2.1").MapToIPv6()));
        Assert.Null(throttle.RetryAfter("fresh@lab.test", IPAddress.Parse("192.0.2.2")));
    }

    [Fact]
    public void Success_ClearsAccountOnly()
    {
        var throttle = new LoginThrottle(2, 3, TimeSpan.FromMinutes(5), _clock);
        throttle.RecordFailure("a@lab.test", s_address);
        throttle.RecordFailure("a@lab.test", s_address);
        Assert.NotNull(throttle.RetryAfter("a@lab.test", IPAddress.Parse("192.0.2.9")));

        throttle.RecordSuccess("a@lab.test");
        Assert.Null(throttle.RetryAfter("a@lab.test", IPAddress.Parse("192.0.2.9")));
        throttle.RecordFailure("c@lab.test", s_address);
        Assert.NotNull(throttle.RetryAfter("a@lab.test", s_address));
    }

    private sealed class ManualClock : TimeProvider
    {
        private DateTimeOffset _now = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000);

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }
}
