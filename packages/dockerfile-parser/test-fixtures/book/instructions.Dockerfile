FROM ubuntu
LABEL com.example.label-with-value="foo"
LABEL version="1.0"
LABEL description="This text illustrates \
that label-values can span multiple lines."
LABEL "com.example.vendor"="ACME Incorporated"
LABEL multi.label1="value1" multi.label2="value2" other="value3"
ENV myName John Doe
ENV myDog Rex The Dog
ENV myCat fluffy
ENV myName="John Doe" myDog=Rex\ The\ Dog \
    myCat=fluffy
ADD hom* /mydir/
ADD hom?.txt /mydir/
ADD test aDir/
COPY hom* /mydir/
EXPOSE 8080
CMD ["catalina.sh", "run"]
WORKDIR /a
WORKDIR b
WORKDIR c
RUN pwd
ENV DIRPATH /path
WORKDIR $DIRPATH/$DIRNAME
USER daemon
RUN [ "echo", "$HOME" ]
CMD echo "This is a test." | wc -
ONBUILD ADD . /app/src
ONBUILD RUN /usr/local/bin/python-build --dir /app/src
ENV myDog=Rex\ The\ Dog \
