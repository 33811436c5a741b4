namespace NetLab.Ftp.Users;

/// <summary>Where an FTP server checks a user name and password.</summary>
public interface IFtpUserDirectory
{
    /// <summary>True when the user exists here and the password matches; false for a wrong password;
    /// null when this directory does not know the user (the next one is asked).</summary>
    ValueTask<bool?> VerifyAsync(string userName, string password, CancellationToken cancellationToken);
}

/// <summary>Asks several directories in order; the first one that knows the user decides.</summary>
public sealed class FtpUserDirectoryChain(IReadOnlyList<IFtpUserDirectory> directories) : IFtpUserDirectory
{
    public async ValueTask<bool?> VerifyAsync(string userName, string password, CancellationToken cancellationToken)
    {
        foreach (var directory in directories)
        {
            bool? verdict = await directory.VerifyAsync(userName, password, cancellationToken).ConfigureAwait(false);
            if (verdict is not null)
            {
                return verdict;
            }
        }
        return null;
    }
}
