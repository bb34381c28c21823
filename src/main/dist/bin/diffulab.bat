@echo off
rem DiffuLab launcher for Windows: no arguments opens the window, a subcommand runs headless.
set APP_HOME=%~dp0..
if defined JAVA_HOME (set JAVA="%JAVA_HOME%\bin\java") else (set JAVA=java)
%JAVA% --enable-native-access=ALL-UNNAMED -Dai.djl.offline=true %DIFFULAB_OPTS% -cp "%APP_HOME%\lib\*" dev.diffulab.Main %*
