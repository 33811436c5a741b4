namespace NetLab.Ftp.Client;

public sealed class FtpClientOptions
{
    /// <summary>Passive mode (EPSV, then PASV): the client connects. False: active (EPRT, then PORT).</summary>
    public bool Passive { get; init; } = true;

    /// <summary>Explicit FTPS: AUTH TLS before login, then PBSZ 0 and PROT P (RFC 4217).</summary>
    public bool UseTls { get; init; }

    /// <summary>Accept any server certificate (self-signed lab certificates), like curl -k.</summary>
    public bool AcceptAnyCertificate { get; init; }

    /// <summary>Name checked against the server certificate; default: the host as given.</summary>
    public string? TlsHostName { get; init; }

    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);
}
