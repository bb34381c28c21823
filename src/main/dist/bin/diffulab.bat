@echo off
rem DiffuLab launcher for Windows: no arguments opens the window, a subcommand runs headless.
set APP_HOME=%~dp0..
if defined JAVA_HOME (set JAVA="%JAVA_HOME%\bin\java") else (set JAVA=java)
rem the GPU setting of the Device dialog: KEY=VALUE lines; what the environment sets wins
if not defined DIFFULAB_GPU_FILE set DIFFULAB_GPU_FILE=%USERPROFILE%\.diffulab\gpu.env
if exist "%DIFFULAB_GPU_FILE%" (
  for /f "usebackq eol=# tokens=1,* delims==" %%a in ("%DIFFULAB_GPU_FILE%") do (
    if not defined %%a set "%%a=%%b"
  )
)
set OFFLINE=true
if "%DIFFULAB_DJL_DOWNLOAD%"=="1" set OFFLINE=false
rem TF32 matmuls on a CUDA GPU (read by libtorch at start; no effect on the CPU), unless set
if not defined TORCH_ALLOW_TF32_CUBLAS_OVERRIDE set TORCH_ALLOW_TF32_CUBLAS_OVERRIDE=1
rem direct buffers DJL copies arrays through are freed only by the GC: cap them (see bin/diffulab)
%JAVA% --enable-native-access=ALL-UNNAMED -Dai.djl.offline=%OFFLINE% -XX:MaxDirectMemorySize=256m -Ddiffulab.home="%APP_HOME%" -Ddiffulab.gpuFile="%DIFFULAB_GPU_FILE%" %DIFFULAB_OPTS% -cp "%APP_HOME%\lib\*" dev.diffulab.Main %*
