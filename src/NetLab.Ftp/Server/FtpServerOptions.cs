using System.Net;
using System.Security.Cryptography.X509Certificates;
using NetLab.Ftp.Users;

namespace NetLab.Ftp.Server;

/// <summary>Everything an <see cref="FtpServer"/> needs; the host fills it from its flags.</summary>
public sealed class FtpServerOptions
{
    public required string Root { get; init; }
    public IPEndPoint Listen { get; init; } = new(IPAddress.Any, 21);

    /// <summary>Named accounts; they may read and write.</summary>
    public IFtpUserDirectory? Users { get; init; }
    public bool AllowAnonymous { get; init; }

    /// <summary>Lets anonymous users write (named users always may).</summary>
    public bool AnonymousWrite { get; init; }

    /// <summary>Port range for PASV/EPSV listeners; null lets the kernel choose.</summary>
    public (int First, int Last)? PassivePorts { get; init; }

    /// <summary>Address announced in PASV replies (behind NAT); default: the control connection's local address.</summary>
    public IPAddress? PassiveAddress { get; init; }

    /// <summary>Enables AUTH TLS, PBSZ and PROT (RFC 4217).</summary>
    public X509Certificate2? Certificate { get; init; }

    public int MaxClients { get; init; } = 500;
    public int MaxClientsPerIp { get; init; } = 100;
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromMinutes(5);
    public TimeSpan DataConnectionTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Wait after each failed login, multiplied by the number of failures so far.</summary>
    public TimeSpan FailedLoginDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Failed logins after which the session is closed (421).</summary>
    public int MaxLoginFailures { get; init; } = 3;
}
