@echo off
rem DiffuLab launcher for Windows: no arguments opens the window, a subcommand runs headless.
set APP_HOME=%~dp0..
if defined JAVA_HOME (set JAVA="%JAVA_HOME%\bin\java") else (set JAVA=java)
rem TF32 matmuls on a CUDA GPU (read by libtorch at start; no effect on the CPU), unless set
if not defined TORCH_ALLOW_TF32_CUBLAS_OVERRIDE set TORCH_ALLOW_TF32_CUBLAS_OVERRIDE=1
rem direct buffers DJL copies arrays through are freed only by the GC: cap them (see bin/diffulab)
%JAVA% --enable-native-access=ALL-UNNAMED -Dai.djl.offline=true -XX:MaxDirectMemorySize=256m %DIFFULAB_OPTS% -cp "%APP_HOME%\lib\*" dev.diffulab.Main %*
