FROM ubuntu
ENTRYPOINT exec top -b
CMD ["-c"]
