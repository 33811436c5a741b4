using NetLab.Protocols.Addressing;

namespace NetLab.Hosts.DhcpClient;

/// <summary>The parsed command line.</summary>
internal sealed record ClientSettings
{
    public required string Interface { get; init; }
    public TimeSpan Timeout { get; init; }
    public int Retries { get; init; }
    public TimeSpan RetryInterval { get; init; }
    public IPv4Address? RequestedAddress { get; init; }
    public string? HostName { get; init; }
    public byte[]? ClientId { get; init; }
    public string? VendorClass { get; init; }
    public bool Once { get; init; }
    public bool Configure { get; init; }
    public required string ScriptPath { get; init; }
    public required string LeaseFilePath { get; init; }
    public bool Json { get; init; }
    public bool Release { get; init; }
    public string? ResolvConf { get; init; }
    public bool RequestBroadcast { get; init; }
    public int ArpProbes { get; init; }
    public TimeSpan ArpInterval { get; init; }
    public TimeSpan DeclineDelay { get; init; }
    public bool Quiet { get; init; }
    public bool Verbose { get; init; }
}
