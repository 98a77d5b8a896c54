FROM ubuntu
ENTRYPOINT ["top", "-b"]
CMD ["-c"]
