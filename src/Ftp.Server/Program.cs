// Placeholder until the ftp-server host lands.
return 0;
