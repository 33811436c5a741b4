using System.Globalization;

namespace NetLab.Hosts.DhcpClient;

/// <summary>A flag's time value, shown in help the way it is typed ("30s", "500ms") rather than as "00:00:30".</summary>
internal readonly record struct Duration(TimeSpan Value)
{
    public override string ToString() =>
        Value.TotalSeconds >= 1 && Value.TotalSeconds == Math.Floor(Value.TotalSeconds)
            ? string.Create(CultureInfo.InvariantCulture, $"{Value.TotalSeconds}s")
            : string.Create(CultureInfo.InvariantCulture, $"{Value.TotalMilliseconds}ms");
}
