export OS_AUTH_URL="https://k.example.org:5000/v3"
export OS_USERNAME="a\!b"
read -sr OS_PASSWORD_INPUT
export OS_PASSWORD="$OS_PASSWORD_INPUT"
if [ -z "$OS_REGION_NAME" ]; then unset OS_REGION_NAME; fi
