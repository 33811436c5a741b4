// Placeholder until the ftp-client host lands.
return 0;
